#!/usr/bin/env python3
"""What attempts read and write: stdin replayed to every attempt, output
held until an attempt ends, the attempt's environment, --max-time stopping a
running attempt, --label, and write errors on backoff's own output."""
import os
import subprocess

from harness import BACKOFF, FAST, CliCase, main


class StreamsTest(CliCase):
    def shell(self, pipeline):
        """A real shell pipeline; BACKOFF stands for the binary."""
        return subprocess.run(["bash", "-o", "pipefail", "-c", pipeline],
                              capture_output=True, timeout=30,
                              env=dict(os.environ, BACKOFF=BACKOFF))

    def reader(self, failures):
        """Records what each attempt read on stdin, fails `failures` times."""
        return self.script("reader.sh", f"""\
            n=$(wc -l < {self.runs_file})
            cat > {self.tmp}/read.$n
            [ "$n" -gt {failures} ]
            """)

    def read_by(self, attempt):
        with open(os.path.join(self.tmp, f"read.{attempt}"), "rb") as f:
            return f.read()

    # --replay-stdin ------------------------------------------------------
    def test_every_attempt_reads_all_of_stdin(self):
        data = b"first line\nsecond line\n"
        r = subprocess.run([BACKOFF, *FAST, "--replay-stdin", "--",
                            self.reader(2)], input=data, capture_output=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([self.read_by(n) for n in (1, 2, 3)], [data] * 3)

    def test_large_binary_stdin_is_replayed_intact(self):
        data = os.urandom(3 * 1024 * 1024 + 17)  # past any pipe or buffer
        r = subprocess.run([BACKOFF, *FAST, "--replay-stdin", "--",
                            self.reader(1)], input=data, capture_output=True,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read_by(1), data)
        self.assertEqual(self.read_by(2), data)

    def test_without_replay_later_attempts_read_what_is_left(self):
        r = subprocess.run([BACKOFF, *FAST, "--", self.reader(1)],
                           input=b"only once\n", capture_output=True,
                           timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read_by(1), b"only once\n")
        self.assertEqual(self.read_by(2), b"")

    def test_replay_in_a_pipeline(self):
        r = self.shell(f"seq 1 1000 | $BACKOFF {' '.join(FAST)} --replay-stdin"
                       f" -- {self.reader(2)} && cat {self.tmp}/read.3 | wc -l")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), b"1000")

    # --hold-output -------------------------------------------------------
    def talker(self, failures):
        return self.script("talker.sh", f"""\
            n=$(wc -l < {self.runs_file})
            echo "out $n"
            echo "err $n" >&2
            [ "$n" -gt {failures} ]
            """)

    def test_only_the_final_attempts_output_reaches_stdout(self):
        r = self.backoff(*FAST, "--hold-output", "--", self.talker(2))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "out 3\n")
        # The retried attempts' output goes to stderr, before the line
        # about backing off; stderr itself is not held.
        lines = r.stderr.splitlines()
        self.assertEqual(lines, [
            "err 1", "out 1",
            "backoff: INFO: Backing off talker.sh(...) for 0.0s (rc=1)",
            "err 2", "out 2",
            "backoff: INFO: Backing off talker.sh(...) for 0.0s (rc=1)",
            "err 3",
        ])

    def test_a_final_failure_keeps_its_output_on_stdout(self):
        r = self.backoff(*FAST, "--tries", "2", "--hold-output", "--",
                         self.talker(99))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "out 2\n")
        self.assertIn("out 1", r.stderr)

    def test_without_hold_every_attempt_writes_to_stdout(self):
        r = self.backoff(*FAST, "--", self.talker(2))
        self.assertEqual(r.stdout, "out 1\nout 2\nout 3\n")

    def test_held_output_is_binary_safe_and_unbounded_by_memory(self):
        big = self.script("big.sh", """\
            head -c 5000000 /dev/zero | tr '\\0' 'x'
            printf '\\0end\\n'
            """)
        r = subprocess.run([BACKOFF, *FAST, "--hold-output", "--", big],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(r.stdout), 5000000 + 5)
        self.assertTrue(r.stdout.endswith(b"\0end\n"))

    def test_replay_and_hold_in_one_pipeline(self):
        # As Debian's retry is used: between two pipeline stages.
        upper = self.script("upper.sh", f"""\
            n=$(wc -l < {self.runs_file})
            tr a-z A-Z
            [ "$n" -ge 3 ]
            """)
        r = self.shell(f"printf 'abc\\ndef\\n' | $BACKOFF {' '.join(FAST)} "
                       f"--replay-stdin --hold-output -- {upper} | sort -r")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, b"DEF\nABC\n")
        self.assertEqual(r.stderr.count(b"ABC\nDEF\n"), 2)  # attempts 1, 2

    def test_output_that_cannot_be_delivered_is_an_error(self):
        r = subprocess.run(
            [BACKOFF, *FAST, "--hold-output", "--", "echo", "hello"],
            stdout=open("/dev/full", "w"), stderr=subprocess.PIPE, text=True,
            timeout=30)
        self.assertEqual(r.returncode, 125, r.stderr)
        self.assertIn("cannot write the output: No space left on device",
                      r.stderr)

    # the attempt's environment -------------------------------------------
    def env_recorder(self, failures):
        return self.script("env.sh", f"""\
            n=$(wc -l < {self.runs_file})
            env | grep '^BACKOFF_' | sort > {self.tmp}/env.$n
            [ "$n" -gt {failures} ]
            """)

    def env_of(self, attempt):
        with open(os.path.join(self.tmp, f"env.{attempt}")) as f:
            return dict(line.rstrip("\n").split("=", 1) for line in f)

    def test_attempts_see_their_number_and_the_time(self):
        env = dict(os.environ, BACKOFF_ATTEMPT="99", BACKOFF_REMAINING="7")
        r = self.backoff(*FAST, "--", self.env_recorder(2), env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        for n in (1, 2, 3):
            seen = self.env_of(n)
            self.assertEqual(seen["BACKOFF_ATTEMPT"], str(n))
            self.assertGreaterEqual(float(seen["BACKOFF_ELAPSED"]), 0.0)
            self.assertNotIn("BACKOFF_REMAINING", seen)  # no --max-time
        self.assertLessEqual(float(self.env_of(1)["BACKOFF_ELAPSED"]),
                             float(self.env_of(3)["BACKOFF_ELAPSED"]))

    def test_with_max_time_attempts_see_the_time_left(self):
        r = self.backoff(*FAST, "--max-time", "600", "--",
                         self.env_recorder(1))
        self.assertEqual(r.returncode, 0, r.stderr)
        left = [float(self.env_of(n)["BACKOFF_REMAINING"]) for n in (1, 2)]
        self.assertLessEqual(left[0], 600.0)
        self.assertGreater(left[0], 0.0)
        self.assertLessEqual(left[1], left[0])

    def test_max_time_stops_a_running_attempt(self):
        pids = os.path.join(self.tmp, "pids")
        hang = self.script("hang.sh", f"""\
            echo $$ >> {pids}
            sleep 30 &
            echo $! >> {pids}
            wait
            """)
        r = self.backoff(*FAST, "--tries", "0", "--max-time", "1", "--",
                         hang)
        self.assertEqual(r.returncode, 124, r.stderr)
        self.assertEqual(self.runs(), 1)
        self.assertIn("hang.sh still running at the --max-time limit: sent "
                      "SIGTERM", r.stderr)
        self.assertIn("after 1 try (rc=124: gave up: time limit reached)",
                      r.stderr)
        self.assert_dead(pids)

    # labels and backoff's own output -------------------------------------
    def test_label_names_the_command_in_messages(self):
        r = self.backoff(*FAST, "-v", "--label", "db-migrate", "--tries", "2",
                         "--", self.fail_n(99))
        self.assertEqual(r.stderr.splitlines()[0],
                         "backoff: INFO: Trying db-migrate (attempt 1)")
        self.assertIn("Backing off db-migrate(...) for 0.0s (rc=1)", r.stderr)
        self.assertIn("Giving up db-migrate(...) after 2 tries", r.stderr)

    def test_write_errors_on_stdout_are_not_success(self):
        for args in (["--help"], ["--version"], ["--print-policy"],
                     ["--schedule"]):
            with self.subTest(args=args):
                r = subprocess.run([BACKOFF, *args],
                                   stdout=open("/dev/full", "w"),
                                   stderr=subprocess.PIPE, text=True,
                                   timeout=30)
                self.assertEqual(r.returncode, 125)
                self.assertIn("cannot write to stdout", r.stderr)


if __name__ == "__main__":
    main()
