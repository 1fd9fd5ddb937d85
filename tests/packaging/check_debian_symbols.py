"""Usage: check_debian_symbols.py SYMBOLS_TXT DEBIAN_SYMBOLS VERSION

debian/libbackoff1.symbols must list exactly the exported symbols
(tests/abi/symbols.txt, itself checked against the built library), each with
the version that introduced it: a well-formed version no newer than this
one. The Debian build checks the same against the real library
(dpkg-gensymbols -c4), but only in the slow Debian suite; this catches a
forgotten symbol in every test run.
"""
import re
import sys


def as_tuple(version):
    return tuple(int(n) for n in version.split("."))


exported = set(open(sys.argv[1]).read().split())
current = as_tuple(sys.argv[3])
listed = {}
problems = []
for line in open(sys.argv[2]).read().splitlines()[1:]:
    if line.startswith(("*", "#", "|")) or not line.strip():
        continue  # a meta-information field or a comment
    node = re.fullmatch(r" (LIBBACKOFF_[\w.]+)@\1 (\d+\.\d+\.\d+)", line)
    if node:
        continue  # a version node of libbackoff.map, exported as a symbol
    match = re.fullmatch(r" (backoff_\w+)@LIBBACKOFF_[\w.]+ (\d+\.\d+\.\d+)", line)
    if not match:
        problems.append(f"malformed line: {line!r}")
        continue
    name, since = match.groups()
    listed[name] = since
    if as_tuple(since) > current:
        problems.append(f"{name} is said to appear in {since}, after this version {sys.argv[3]}")

problems += [f"exported but not in the symbols file: {n}" for n in sorted(exported - listed.keys())]
problems += [f"in the symbols file but not exported: {n}" for n in sorted(listed.keys() - exported)]
for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print(f"{len(listed)} symbols, each with the version it appeared in")
