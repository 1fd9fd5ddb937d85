#!/usr/bin/env python3
"""Fails when a checked-in vector file differs from what reference_model.py
writes now. Usage: check_up_to_date.py MODEL FILE [MODEL-ARGS...]"""
import subprocess
import sys

model, checked_in, *model_args = sys.argv[1:]
fresh = subprocess.run([sys.executable, model, *model_args], check=True,
                       capture_output=True, text=True).stdout
with open(checked_in) as f:
    if f.read() != fresh:
        sys.exit(f"{checked_in} is stale: run {model} {' '.join(model_args)} "
                 f"{checked_in}")
print(f"{checked_in}: up to date")
