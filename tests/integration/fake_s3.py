#!/usr/bin/env python3
"""A stand-in S3 server on 127.0.0.1 for the misbehaviour a real one cannot be made to show
(used by artifacts_fake_s3_test.sh and artifacts_disk_full_test.sh; the normal paths run
against Ceph's RADOS Gateway in s3_store_test.sh). Signatures are not checked. The bucket
picks the behaviour:

  endless  ListObjectsV2 says IsTruncated forever: a new token and max-keys keys a page
  hollow   ListObjectsV2 says IsTruncated forever: a new token and no key a page
  cycle    ListObjectsV2 continuation tokens go A -> B -> A -> ...
  stray    ListObjectsV2 answers any prefix with the key 'x', which is outside it
  short    GET announces 1000 bytes (multipart-style ETag) and sends 500, then closes
  whole    GET and HEAD serve the object of 1 MiB at any key, with its MD5 as ETag

In endless, hollow and cycle, any key ending in bundle.json exists (so --model s3://...
gets as far as listing the bundle); anything else is 404 NoSuchKey.
A second port accepts connections and never answers. Once both listen, the server prints
"PORT <http port> SILENT <silent port>"; it logs "METHOD PATH" of every request to LOG.

usage: fake_s3.py LOG
"""
import hashlib
import http.server
import socket
import sys
import threading
import urllib.parse

LOG = sys.argv[1]
WHOLE = bytes(range(256)) * 4096  # 1 MiB
WHOLE_ETAG = '"%s"' % hashlib.md5(WHOLE).hexdigest()
LIST_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">')


def listing(keys, truncated, token):
    items = "".join(
        "<Contents><Key>%s</Key><LastModified>2026-12-01T00:00:00.000Z</LastModified>"
        '<ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>0</Size></Contents>' % key
        for key in keys)
    more = "<NextContinuationToken>%s</NextContinuationToken>" % token if truncated else ""
    return (LIST_HEAD + "<IsTruncated>%s</IsTruncated>%s%s</ListBucketResult>" %
            ("true" if truncated else "false", more, items)).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def send(self, status, body, headers=(), length=None, head=False):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def not_found(self, head):
        self.send(404, b"<Error><Code>NoSuchKey</Code><Message>none</Message></Error>",
                  head=head)

    def parts(self):
        with open(LOG, "a") as log:
            log.write(self.command + " " + self.path + "\n")
        url = urllib.parse.urlsplit(self.path)
        bucket, _, key = url.path.lstrip("/").partition("/")
        return bucket, urllib.parse.unquote(key), urllib.parse.parse_qs(url.query)

    def list_objects(self, bucket, query):
        prefix = query.get("prefix", [""])[0]
        token = query.get("continuation-token", [""])[0]
        page = int(token[1:]) + 1 if token.startswith("t") else 1
        if bucket == "endless":
            count = int(query.get("max-keys", ["1000"])[0])
            keys = ["%sp%08d-%04d" % (prefix, page, i) for i in range(count)]
            return listing(keys, True, "t%d" % page)
        if bucket == "hollow":
            return listing([], True, "t%d" % page)
        if bucket == "cycle":
            return listing([prefix + token + "-key"], True, "B" if token == "A" else "A")
        if bucket == "stray":
            return listing(["x"], False, "")
        return listing([], False, "")

    def answer(self, head):
        bucket, key, query = self.parts()
        if not key and "list-type" in query:
            self.send(200, self.list_objects(bucket, query))
        elif bucket == "whole":
            self.send(200, WHOLE, [("ETag", WHOLE_ETAG)], head=head)
        elif bucket == "short":
            etag = [("ETag", '"0123456789abcdef0123456789abcdef-2"')]
            self.send(200, b"s" * 500, etag, length=1000, head=head)
            self.close_connection = True
        elif key.endswith("bundle.json") and bucket in ("endless", "hollow", "cycle"):
            self.send(200, b"{}", head=head)
        else:
            self.not_found(head)

    def do_GET(self):
        self.answer(False)

    def do_HEAD(self):
        self.answer(True)

    def log_message(self, *args):
        pass


def hold_connections(listener):
    held = []
    while True:
        connection, _ = listener.accept()
        held.append(connection)  # never read, never answered


silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(64)
threading.Thread(target=hold_connections, args=(silent,), daemon=True).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("PORT %d SILENT %d" % (server.server_address[1], silent.getsockname()[1]), flush=True)
server.serve_forever()
