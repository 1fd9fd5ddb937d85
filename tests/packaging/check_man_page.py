"""Usage: check_man_page.py HEADER MAN_PAGE

backoff(3) must describe every function the header declares (as a bold
name in a synopsis line), and must not name functions that do not exist.
"""
import re
import sys

header = open(sys.argv[1]).read()
page = open(sys.argv[2]).read()
declared = set(re.findall(r"BACKOFF_API\s[^;{]*?\b(backoff_\w+)\s*\(", header))
described = set(re.findall(r"^\.BI? \"?[^\n]*?\b(backoff_\w+)\s*\(", page, re.M))
problems = [f"not described: {n}" for n in sorted(declared - described)]
problems += [f"no such function: {n}" for n in sorted(described - declared)]
for problem in problems:
    print(problem)
if problems or not declared:
    sys.exit(1)
print(f"all {len(declared)} functions described")
