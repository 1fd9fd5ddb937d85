#!/usr/bin/env python3
"""Compiles a translation unit that includes only the public header, with the
given compiler and flags: the header must stand alone in strict C99 and in
every C++ standard a consumer may use."""
import os
import subprocess
import sys
import tempfile

include_dir, language = sys.argv[1], sys.argv[2]
compiler_and_flags = sys.argv[3:]

source = """#include <backoff/backoff.h>
#include <backoff/backoff.h> /* include guard */
int main(void) {
  backoff_details d = BACKOFF_DETAILS_INIT;
  backoff_run_options o = BACKOFF_RUN_OPTIONS_INIT;
  (void)o;
  return (int)d.size == 0 && backoff_version_number() == 0u;
}
"""
suffix = ".c" if language == "c" else ".cpp"
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "header" + suffix)
    with open(path, "w") as f:
        f.write(source)
    cmd = compiler_and_flags + ["-I", include_dir, "-fsyntax-only", path]
    print(" ".join(cmd))
    sys.exit(subprocess.run(cmd).returncode)
