#!/usr/bin/env python3
"""The shared library exports exactly the checked-in list of symbols, all
with the backoff_ prefix. A symbol added on purpose goes into symbols.txt in
the same change; one that appears by accident fails here."""
import subprocess
import sys

nm, library, expected_file = sys.argv[1:4]

out = subprocess.run([nm, "-D", "--defined-only", library],
                     check=True, capture_output=True, text=True).stdout
exported = set()
for line in out.splitlines():
    fields = line.split()
    if len(fields) == 3 and fields[1] != "A":  # "A": the version node itself
        exported.add(fields[2].split("@")[0])

with open(expected_file) as f:
    expected = {line.strip() for line in f if line.strip()}

ok = True
for name in sorted(exported - expected):
    print(f"exported but not in {expected_file}: {name}")
    ok = False
for name in sorted(expected - exported):
    print(f"listed but not exported: {name}")
    ok = False
for name in sorted(n for n in exported if not n.startswith("backoff_")):
    print(f"exported without the backoff_ prefix: {name}")
    ok = False
print(f"{len(exported)} exported symbols checked")
sys.exit(0 if ok else 1)
