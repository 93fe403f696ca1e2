"""The peer of `archml schema`: what a workshop notebook does to load the data."""
import sys

import pandas as pd

frame = pd.read_csv(sys.argv[1])
print(f"{len(frame)} rows x {len(frame.columns)} columns")
