"""Usage: extract_man_example.py MAN_PAGE OUT_C

Writes the first example (.EX ... .EE) of a man page as C source, with
roff's escapes undone, so that the test suite compiles and runs the very
program the page shows.
"""
import re
import sys

page = open(sys.argv[1]).read()
example = re.search(r"^\.EX\n(.*?)^\.EE$", page, re.M | re.S).group(1)
for escaped, plain in (("\\-", "-"), ("\\e", "\\"), ("\\&", "")):
    example = example.replace(escaped, plain)
open(sys.argv[2], "w").write(example)
