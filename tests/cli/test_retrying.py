#!/usr/bin/env python3
"""The real backoff binary against scripts that fail N times, hang, ignore
SIGTERM, die on signals, or exit with codes to retry on or give up on."""
import os
import signal
import subprocess

from harness import BACKOFF, FAST, FLAKY, CliCase, main


class RetryingTest(CliCase):
    # retrying ------------------------------------------------------------
    def test_success_at_once_is_silent(self):
        r = self.backoff(*FAST, "--", self.fail_n(0))
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "")
        self.assertEqual(self.runs(), 1)

    def test_fails_twice_then_succeeds(self):
        r = self.backoff(*FAST, "--", self.fail_n(2))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)
        self.assertEqual(r.stderr.splitlines(), [
            "backoff: INFO: Backing off fail_n.sh(...) for 0.0s (rc=1)",
            "backoff: INFO: Backing off fail_n.sh(...) for 0.0s (rc=1)",
        ])

    def test_the_example_flaky_script(self):
        r = self.backoff(*FAST, "--", FLAKY, self.runs_file)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("flaky.sh: run 3: ok", r.stdout)

    def test_gives_up_after_tries_with_the_last_status(self):
        r = self.backoff(*FAST, "--tries", "3", "--", self.fail_n(99, code=3))
        self.assertEqual(r.returncode, 3)
        self.assertEqual(self.runs(), 3)
        self.assertEqual(r.stderr.splitlines()[-1],
                         "backoff: ERROR: Giving up fail_n.sh(...) after 3 "
                         "tries (rc=3: gave up: tries limit reached)")

    def test_gives_up_at_once_on_a_giveup_code(self):
        r = self.backoff(*FAST, "--giveup-on", "4,9", "--",
                         self.fail_n(99, code=4))
        self.assertEqual(r.returncode, 4)
        self.assertEqual(self.runs(), 1)
        self.assertIn("after 1 try (rc=4: gave up: fatal error)", r.stderr)

    def test_retry_on_retries_only_the_listed_codes(self):
        r = self.backoff(*FAST, "--retry-on", "5", "--", self.fail_n(2, 5))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)

    def test_retry_on_makes_other_codes_fatal(self):
        r = self.backoff(*FAST, "--retry-on", "5", "--", self.fail_n(99, 6))
        self.assertEqual(r.returncode, 6)
        self.assertEqual(self.runs(), 1)

    def test_max_time_gives_up(self):
        # The 600 s wait is shortened to end at the 1 s limit; the attempt
        # due then has no time left and is stopped for time before it
        # starts. (Only the first attempt's own run must fit in 1 s.)
        r = self.backoff("--wait", "constant", "--interval", "600",
                         "--jitter", "none", "--max-time", "1", "--",
                         self.fail_n(10**6, code=7))
        self.assertEqual(r.returncode, 124, r.stderr)
        self.assertEqual(self.runs(), 1)
        self.assertIn("fail_n.sh not started: the --max-time limit is "
                      "reached", r.stderr)
        self.assertIn("after 2 tries (rc=124: gave up: time limit reached)",
                      r.stderr)

    def test_policy_spec_is_used(self):
        r = self.backoff("--policy", "constant(interval=0) jitter=none tries=2",
                         "--", self.fail_n(99))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.runs(), 2)

    def test_options_override_the_policy_spec(self):
        r = self.backoff("--policy", "fibo(max=8) tries=9 jitter=full",
                         "--tries", "3", "--jitter", "proportional(0.25)",
                         "--retry-on", "1,2", "--seed", "5", "--print-policy")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "fibo(max=8) jitter=proportional(0.25) "
                                   "tries=3 time=0 retry-on=1,2 seed=5\n")

    def test_wait_options_build_the_wait(self):
        r = self.backoff("--wait", "expo", "--factor", "0.5", "--max", "30",
                         "--print-policy")
        self.assertEqual(r.stdout, "expo(base=2,factor=0.5,max=30) jitter=full"
                                   " tries=5 time=0 giveup-on=126,127\n")

    def test_options_after_the_command_are_the_commands(self):
        r = self.backoff("--tries", "1", "sh", "-c", 'test "$1" = -n', "sh",
                         "-n")
        self.assertEqual(r.returncode, 0, r.stderr)

    # attempts that hang, ignore SIGTERM, die ----------------------------
    def test_hanging_attempt_is_timed_out_with_its_children(self):
        pids = os.path.join(self.tmp, "pids")
        hang = self.script("hang.sh", f"""\
            echo $$ >> {pids}
            sleep 30 &
            echo $! >> {pids}
            wait
            """)
        r = self.backoff(*FAST, "--tries", "2", "--attempt-timeout", "0.2",
                         "--", hang)
        self.assertEqual(r.returncode, 124)
        self.assertEqual(self.runs(), 2)
        self.assertIn("hang.sh timed out after 0.2s: sent SIGTERM", r.stderr)
        self.assertIn("Backing off hang.sh(...) for 0.0s (rc=124)", r.stderr)
        self.assert_dead(pids)

    def test_attempt_ignoring_sigterm_is_killed(self):
        pids = os.path.join(self.tmp, "pids")
        stubborn = self.script("stubborn.sh", f"""\
            trap '' TERM
            echo $$ >> {pids}
            sleep 30 &
            echo $! >> {pids}
            while :; do wait; done
            """)
        r = self.backoff(*FAST, "--tries", "1", "--attempt-timeout", "0.2",
                         "--kill-after", "0.2", "--", stubborn)
        self.assertEqual(r.returncode, 124)
        self.assertIn("stubborn.sh still running 0.2s after SIGTERM: sent "
                      "SIGKILL", r.stderr)
        self.assert_dead(pids)

    def test_killed_by_a_signal_is_128_plus_n(self):
        r = self.backoff(*FAST, "--tries", "2", "--",
                         self.script("die.sh", "kill -KILL $$\n"))
        self.assertEqual(r.returncode, 128 + signal.SIGKILL)
        self.assertEqual(self.runs(), 2)

    def test_command_not_found_is_127_and_not_retried(self):
        r = self.backoff(*FAST, "--tries", "5", "--",
                         os.path.join(self.tmp, "no-such-command"))
        self.assertEqual(r.returncode, 127)
        self.assertIn("cannot run", r.stderr)
        self.assertIn("after 1 try (rc=127: gave up: fatal error)", r.stderr)

    def test_command_not_executable_is_126_and_not_retried(self):
        r = self.backoff(*FAST, "--tries", "5", "--",
                         self.script("plain.txt", "exit 0\n", executable=False))
        self.assertEqual(r.returncode, 126)
        self.assertEqual(r.stderr.count("cannot run"), 1, r.stderr)
        self.assertIn("after 1 try (rc=126: gave up: fatal error)", r.stderr)

    # signals -------------------------------------------------------------
    def test_sigint_reaches_the_attempt_and_stops_retrying(self):
        started = os.path.join(self.tmp, "started")
        marker = os.path.join(self.tmp, "got-int")
        p = self.start(*FAST, "--", self.script("interruptible.sh", f"""\
            trap 'echo yes > {marker}; exit 1' INT
            echo yes > {started}
            while :; do sleep 0.05; done
            """))
        self.wait_for_file(started)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
        # backoff ends by the signal, so that a shell sees an interrupt
        self.assertEqual(p.returncode, -signal.SIGINT, err)
        self.assertTrue(os.path.exists(marker))
        self.assertEqual(self.runs(), 1)
        self.assertIn("got SIGINT: passed it on to interruptible.sh; no more "
                      "retries", err)

    def test_sigterm_during_the_wait_stops_at_once(self):
        p = self.start("--wait", "constant", "--interval", "600", "--jitter",
                       "none", "--", self.fail_n(99))
        self.read_stderr_until(p, "Backing off fail_n.sh(...) for 600")
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=30)  # would take 600 s if not woken
        self.assertEqual(p.returncode, -signal.SIGTERM, err)
        self.assertEqual(self.runs(), 1)
        self.assertIn("Giving up fail_n.sh(...) after 1 try (rc=1: cancelled)",
                      err)

    def test_signals_ignored_at_start_stay_ignored(self):
        started = os.path.join(self.tmp, "started")
        go = os.path.join(self.tmp, "go")
        p = subprocess.Popen(  # as under nohup
            [BACKOFF, *FAST, "--", self.script("patient.sh", f"""\
                echo yes > {started}
                until [ -e {go} ]; do sleep 0.02; done
                """)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
        self.wait_for_file(started)
        p.send_signal(signal.SIGHUP)
        open(go, "w").close()
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        self.assertNotIn("SIGHUP", err)

    # reporting -----------------------------------------------------------
    def test_quiet_reports_nothing(self):
        r = self.backoff(*FAST, "-q", "--tries", "2", "--", self.fail_n(99))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "")

    def test_verbose_reports_each_attempt(self):
        r = self.backoff(*FAST, "-v", "--", self.fail_n(1))
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr.splitlines(), [
            "backoff: INFO: Trying fail_n.sh (attempt 1)",
            "backoff: INFO: fail_n.sh exited with status 1",
            "backoff: INFO: Backing off fail_n.sh(...) for 0.0s (rc=1)",
            "backoff: INFO: Trying fail_n.sh (attempt 2)",
            "backoff: INFO: fail_n.sh exited with status 0",
            "backoff: INFO: fail_n.sh succeeded after 2 tries",
        ])

    def test_help_and_version(self):
        r = self.backoff("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("Usage: backoff", r.stdout)
        r = self.backoff("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^backoff \(libbackoff\) \d+\.\d+\.\d+\n$")

    def test_bad_usage_exits_2_with_a_message(self):
        cases = [
            ([], "no command given"),
            (["--bogus", "true"], "unknown option '--bogus'"),
            (["-x", "true"], "unknown option '-x'"),
            (["--tries"], "needs a value"),
            (["--tries", "-1", "true"], "bad whole number '-1' for 'tries'"),
            (["--tries", "many", "true"], "bad whole number 'many'"),
            (["--max-time", "-2", "true"], "invalid 'time'"),
            (["--wait", "sometimes", "true"], "unknown wait or setting"),
            (["--wait", "constant", "--base", "2", "true"],
             "constant has no parameter 'base'"),
            (["--interval", "2", "true"], "expo has no parameter 'interval'"),
            (["--wait", "expo", "--base", "0", "true"], "invalid"),
            (["--jitter", "wobbly", "true"], "unknown jitter 'wobbly'"),
            (["--jitter", "full tries=1", "true"], "invalid value"),
            (["--retry-on", "0", "true"],
             "status 0 cannot both succeed (--success-on: 0 by default) and "
             "fail (--retry-on)"),
            (["--retry-on", "1", "--giveup-on", "2", "true"], "only one of"),
            (["--seed", "x", "true"], "bad whole number 'x' for 'seed'"),
            (["--attempt-timeout", "soon", "true"], "expected seconds"),
            (["--kill-after", "-1", "true"], "expected seconds"),
            (["--policy", "expo tries=3 foo=1", "true"],
             "unknown setting 'foo' (at byte 13)"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = self.backoff(*args)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(message, r.stderr)
                self.assertIn("Try 'backoff --help'", r.stderr)
        self.assertEqual(self.runs(), 0)


if __name__ == "__main__":
    main()
