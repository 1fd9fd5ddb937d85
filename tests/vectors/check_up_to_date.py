#!/usr/bin/env python3
"""Fails when waits.tsv differs from what reference_model.py writes now."""
import subprocess
import sys

model, checked_in = sys.argv[1:3]
fresh = subprocess.run([sys.executable, model], check=True,
                       capture_output=True, text=True).stdout
with open(checked_in) as f:
    if f.read() != fresh:
        sys.exit(f"{checked_in} is stale: run {model} {checked_in}")
print("vectors up to date")
