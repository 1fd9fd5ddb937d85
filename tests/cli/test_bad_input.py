#!/usr/bin/env python3
"""The command's column of the bad-input table (tests/bad_input/cases.tsv):
each row's options must give the exit status the table names and print its
line on stderr."""
import os
import shlex
import subprocess
import sys

from harness import BACKOFF, CliCase, main

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "bad_input"))
import table  # noqa: E402  (found through the path above)


class BadInputTest(CliCase):
    def run_row(self, options):
        """Runs the options (before `-- true` unless they name a command),
        {file} being a scratch file; returns the answer as the table writes
        it and the stderr lines."""
        scratch = os.path.join(self.tmp, "scratch")
        args = [a.replace("{file}", scratch) for a in shlex.split(options)]
        if "--" not in args:
            args += ["--", "true"]
        env = {k: v for k, v in os.environ.items() if k != "BACKOFF_POLICY"}
        r = subprocess.run([BACKOFF, *args], capture_output=True, text=True,
                           env=env, timeout=60)
        return r.returncode, r.stderr.splitlines(), scratch

    def test_each_row_gives_the_tables_answer(self):
        cases = table.cases("cli")
        self.assertGreater(len(cases), 0)
        for row, options, answer in cases:
            with self.subTest(row=row, options=options):
                status, lines, scratch = self.run_row(options)
                if answer == table.ACCEPTED:
                    self.assertEqual(status, 0, lines)
                    continue
                kind, line = table.answer(answer)
                self.assertEqual(f"exit {status}", kind, lines)
                self.assertIn(line.replace("{file}", scratch), lines)


if __name__ == "__main__":
    main()
