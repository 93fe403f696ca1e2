"""The boto3 side of bench/store.sh: upload or download one file with boto3's managed
transfer (upload_file / download_file: multipart and threads as boto3 configures them by
default), against the endpoint in AWS_ENDPOINT_URL, path-style addressing. Prints the
seconds the transfer itself took, so Python's start-up and boto3's import (a second or
more on a loaded machine) do not count against boto3.
Usage: s3_transfer.py up|down BUCKET KEY FILE
"""
import os
import sys
import time

import boto3
from botocore.config import Config


def main():
    op, bucket, key, path = sys.argv[1:5]
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                      config=Config(s3={"addressing_style": "path"}))
    start = time.perf_counter()
    if op == "up":
        s3.upload_file(path, bucket, key)
    else:
        s3.download_file(bucket, key, path)
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main()
