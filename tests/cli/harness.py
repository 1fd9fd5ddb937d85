"""What every suite of the backoff command's tests shares: the binary
under test, scratch directories, scripts that count their runs, and waits
that do not depend on the machine's speed.

The suites run the real binary. They read its path from BACKOFF_BINARY (and
the example script from BACKOFF_FLAKY, the shared test vectors from
BACKOFF_VECTORS), as tests/cli/meson.build sets them:

    BACKOFF_BINARY=build/src/cli/backoff python3 tests/cli/test_streams.py

Waits are 0 (--wait constant --interval 0) and jitter none wherever log
text is checked, so nothing depends on how fast the machine is; time-outs
are 0.2 s where a test needs one, and the tests assert counts and statuses,
never durations.
"""
import os
import subprocess
import tempfile
import textwrap
import time
import unittest

BACKOFF = os.environ.get("BACKOFF_BINARY", "build/src/cli/backoff")
FLAKY = os.environ.get("BACKOFF_FLAKY", "examples/flaky.sh")
VECTORS = os.environ.get("BACKOFF_VECTORS", "tests/vectors/waits.tsv")
FAST = ["--wait", "constant", "--interval", "0", "--jitter", "none"]


def main():
    unittest.main(verbosity=2)


class CliCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = self.dir.name
        self.runs_file = os.path.join(self.tmp, "runs")

    def tearDown(self):
        self.dir.cleanup()

    # helpers -------------------------------------------------------------
    def script(self, name, body, executable=True):
        """A bash script that counts its runs in self.runs_file."""
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write("#!/usr/bin/env bash\n")
            f.write(f"echo run >> {self.runs_file}\n")
            f.write(textwrap.dedent(body))
        os.chmod(path, 0o755 if executable else 0o644)
        return path

    def runs(self):
        try:
            with open(self.runs_file) as f:
                return len(f.readlines())
        except FileNotFoundError:
            return 0

    def backoff(self, *args, timeout=30, **kwargs):
        return subprocess.run([BACKOFF, *args], capture_output=True,
                              text=True, timeout=timeout, **kwargs)

    def start(self, *args):
        return subprocess.Popen([BACKOFF, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def wait_for_file(self, path):
        for _ in range(1000):  # a safety net, not a timing assertion
            if os.path.exists(path) and os.path.getsize(path) > 0:
                return
            time.sleep(0.01)
        self.fail(f"{path} never appeared")

    @staticmethod
    def alive(pid):
        """False once pid has exited (a zombie waiting for its reaper has)."""
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False

    def assert_dead(self, pid_file):
        """Every pid in pid_file ends: a signal sent to a process group is
        delivered at once, but dying takes the processes a moment."""
        with open(pid_file) as f:
            pids = [int(line) for line in f if line.strip()]
        self.assertTrue(pids)
        for _ in range(500):  # a safety net, not a timing assertion
            if not any(self.alive(pid) for pid in pids):
                return
            time.sleep(0.01)
        self.fail(f"still running: {[p for p in pids if self.alive(p)]}")

    def read_stderr_until(self, process, text):
        """Lines of the process's stderr up to the first containing text."""
        lines = []
        for line in process.stderr:
            lines.append(line)
            if text in line:
                return lines
        self.fail(f"{text!r} never came; stderr: {''.join(lines)!r}")

    def fail_n(self, failures, code=1):
        return self.script("fail_n.sh", f"""\
            runs=$(wc -l < {self.runs_file})
            [ "$runs" -gt {failures} ] || exit {code}
            """)

