#!/usr/bin/env python3
"""The shared library's ABI stays compatible with every released baseline.

  abi_baseline.py check  ABIDW ABIDIFF HEADERS LIBRARY SUPPRESSIONS BASELINE...
  abi_baseline.py dump   ABIDW HEADERS LIBRARY OUT

`dump` writes the public ABI of LIBRARY (built with -g) as abidw XML: only
what the public headers declare, so the C++ types behind the opaque handles
(backoff_policy, backoff_state, backoff_cancel) are dropped and may change
freely. `check` dumps LIBRARY the same way and, against each BASELINE:

 1. abidiff must find no change at all, except added functions (a new
    function is compatible) and what SUPPRESSIONS lets through: fields
    appended to the structs that start with a `size` field (backoff_details,
    backoff_run_options), which an old caller never sees.
 2. Because that suppression is coarse (abidiff's "inserted at end" rule also
    hides reordered fields), every struct of the baseline must keep each of
    its fields, in order, with the same name, type and offset; a struct may
    only grow at its end.

Exits 0 when compatible, 1 with the reasons otherwise, 77 (skipped) when
abidw/abidiff are missing or the library has no debug information -- unless
BACKOFF_ABI_REQUIRED=1 (as in CI), which turns a skip into a failure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

DUMP_OPTIONS = [
    "--drop-private-types", "--exported-interfaces-only", "--no-corpus-path",
    "--no-comp-dir-path", "--no-show-locs", "--no-elf-needed",
]


def dump(abidw, headers, library, out):
    subprocess.run([abidw, "--headers-dir", headers, *DUMP_OPTIONS,
                    "--out-file", out, library], check=True)
    # A translation unit's path is relative to the build directory, which
    # says where the library was built, not what it is: keep the file name.
    with open(out) as f:
        text = f.read()
    text = re.sub(r"(<abi-instr [^>]*path=')[^']*/([^'/]+')", r"\1\2", text)
    with open(out, "w") as f:
        f.write(text)


class Types:
    """Renders the type behind an abidw type-id as C-like text, so that two
    dumps (whose ids are numbered independently) can be compared."""

    def __init__(self, root):
        self.by_id = {e.get("id"): e for e in root.iter() if e.get("id")}

    def name(self, type_id, depth=0):
        e = self.by_id.get(type_id)
        if e is None or depth > 20:
            return "?"
        tag, inner = e.tag, e.get("type-id")
        if tag == "pointer-type-def":
            return self.name(inner, depth + 1) + "*"
        if tag == "qualified-type-def":
            quals = [q for q in ("const", "volatile") if e.get(q) == "yes"]
            return " ".join(quals + [self.name(inner, depth + 1)])
        if tag == "array-type-def":
            return "%s[%s bits]" % (self.name(e.get("type-id"), depth + 1),
                                    e.get("size-in-bits"))
        if tag == "function-type":
            params = [self.name(p.get("type-id"), depth + 1)
                      for p in e.findall("parameter")]
            ret = e.find("return")
            return "%s(%s)" % (self.name(ret.get("type-id"), depth + 1)
                               if ret is not None else "void", ", ".join(params))
        return e.get("name", "?")


def structs(path):
    """name -> (size in bits, [(offset, field name, field type)])"""
    root = ET.parse(path).getroot()
    types = Types(root)
    out = {}
    for decl in root.iter("class-decl"):
        if decl.get("is-declaration-only") == "yes":
            continue
        fields = []
        for member in decl.findall("data-member"):
            var = member.find("var-decl")
            fields.append((int(member.get("layout-offset-in-bits")),
                           var.get("name"), types.name(var.get("type-id"))))
        out[decl.get("name")] = (int(decl.get("size-in-bits", "0")), fields)
    return out


def functions(path):
    root = ET.parse(path).getroot()
    return {e.get("name") for e in root.iter("elf-symbol")
            if e.get("type") == "func-type"}


def layout_problems(old_path, new_path):
    old, new = structs(old_path), structs(new_path)
    problems = []
    for name, (old_size, old_fields) in sorted(old.items()):
        if name not in new:
            problems.append("struct %s: no longer in the public ABI" % name)
            continue
        new_size, new_fields = new[name]
        for i, field in enumerate(old_fields):
            if i >= len(new_fields) or new_fields[i] != field:
                now = new_fields[i] if i < len(new_fields) else "nothing"
                problems.append("struct %s: field %d was %s, is now %s"
                                % (name, i, field, now))
                break
        for field in new_fields[len(old_fields):]:
            if field[0] < old_size:
                problems.append("struct %s: new field %s inside the old size "
                                "(%d bits)" % (name, field, old_size))
        if new_size < old_size:
            problems.append("struct %s: shrank from %d to %d bits"
                            % (name, old_size, new_size))
    return problems


def skip(reason):
    if os.environ.get("BACKOFF_ABI_REQUIRED") == "1":
        print("error: %s" % reason)
        return 1
    print("skipped: %s" % reason)
    return 77


def check(abidw, abidiff, headers, library, suppressions, baselines):
    for tool in (abidw, abidiff):
        if shutil.which(tool) is None:
            return skip("%s not found (scripts/setup installs abigail-tools)" % tool)
    with tempfile.TemporaryDirectory() as tmp:
        current = os.path.join(tmp, "current.abi")
        dump(abidw, headers, library, current)
        if not structs(current):
            return skip("%s has no debug information (build with -g)" % library)
        ok = True
        for baseline in baselines:
            name = os.path.basename(baseline)
            diff = subprocess.run(
                [abidiff, "--leaf-changes-only", "--no-added-syms",
                 "--suppressions", suppressions, baseline, current],
                capture_output=True, text=True)
            problems = layout_problems(baseline, current)
            added = sorted(functions(current) - functions(baseline))
            if diff.returncode != 0:
                ok = False
                print("%s: abidiff found incompatible changes (status %d):\n%s%s"
                      % (name, diff.returncode, diff.stdout, diff.stderr))
            for problem in problems:
                ok = False
                print("%s: %s" % (name, problem))
            if diff.returncode == 0 and not problems:
                print("%s: compatible; %d function(s) added since: %s"
                      % (name, len(added), " ".join(added) or "none"))
        return 0 if ok else 1


def main(argv):
    if len(argv) >= 7 and argv[1] == "check":
        return check(*argv[2:7], argv[7:])
    if len(argv) == 6 and argv[1] == "dump":
        dump(*argv[2:6])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
