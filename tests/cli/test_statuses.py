#!/usr/bin/env python3
"""Which statuses succeed, which are retried, how many tries: exit-code sets
with ranges, --success-on, the rule that 126/127 are not retried unless
named, the default of 5 tries, output patterns, and the exit status."""
import os

from harness import FAST, CliCase, main


class StatusesTest(CliCase):
    def missing(self):
        return os.path.join(self.tmp, "no-such-command")

    def not_executable(self):
        return self.script("plain.txt", "exit 0\n", executable=False)

    def attempts_of_unrunnable(self, r):
        """Attempts that could not start: backoff says so once for each."""
        return r.stderr.count("cannot run")

    # 126 and 127 with every code-set option ------------------------------
    def test_unrunnable_commands_are_not_retried_under_any_set(self):
        cases = [
            [],
            ["--giveup-on", "2"],       # the set once replaced the rule
            ["--giveup-on", "1-5,9"],
            ["--retry-on", "1-3"],
            ["--retry-on", "1-125"],
            ["--success-on", "0,1"],
            ["--success-on", "0-2", "--giveup-on", "7"],
            ["--success-on", "1", "--retry-on", "0"],
            ["--policy", "giveup-on=2"],
            ["--policy", "retry-on=1,2"],
        ]
        for args in cases:
            for command, status in ((self.missing(), 127),
                                    (self.not_executable(), 126)):
                with self.subTest(args=args, status=status):
                    r = self.backoff(*FAST, "--tries", "4", *args, "--",
                                     command)
                    self.assertEqual(r.returncode, status, r.stderr)
                    self.assertEqual(self.attempts_of_unrunnable(r), 1,
                                     r.stderr)
                    self.assertIn(f"after 1 try (rc={status}: gave up: "
                                  "fatal error)", r.stderr)

    def test_unrunnable_commands_are_not_retried_from_the_environment(self):
        for spec in ("giveup-on=2", "retry-on=1-3"):
            with self.subTest(spec=spec):
                env = dict(os.environ, BACKOFF_POLICY=spec)
                r = self.backoff(*FAST, "--tries", "4", "--", self.missing(),
                                 env=env)
                if spec == "retry-on=1-3":  # ranges are the command's
                    self.assertEqual(r.returncode, 2, r.stderr)
                    self.assertIn("BACKOFF_POLICY", r.stderr)
                    continue
                self.assertEqual(r.returncode, 127, r.stderr)
                self.assertEqual(self.attempts_of_unrunnable(r), 1)

    def test_a_set_that_names_127_retries_it(self):
        for args in (["--retry-on", "127"], ["--retry-on", "100-130"],
                     ["--retry-on", "1,127"]):
            with self.subTest(args=args):
                r = self.backoff(*FAST, "--tries", "3", *args, "--",
                                 self.missing())
                self.assertEqual(r.returncode, 127, r.stderr)
                self.assertEqual(self.attempts_of_unrunnable(r), 3)
                self.assertIn("after 3 tries (rc=127: gave up: tries limit "
                              "reached)", r.stderr)

    def test_a_success_set_that_names_127_succeeds_on_it(self):
        r = self.backoff(*FAST, "--success-on", "0,127", "--",
                         self.missing())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.attempts_of_unrunnable(r), 1)

    # sets, ranges, the success set ---------------------------------------
    def test_ranges_reach_the_library_as_lists(self):
        cases = [
            (["--retry-on", "1-3,7"], "retry-on=1,2,3,7"),
            (["--retry-on", "5"], "retry-on=5"),
            (["--giveup-on", "2"], "giveup-on=2,126,127"),
            (["--giveup-on", "120-127"],
             "giveup-on=120,121,122,123,124,125,126,127"),
            ([], "giveup-on=126,127"),
        ]
        for args, setting in cases:
            with self.subTest(args=args):
                r = self.backoff(*args, "--print-policy")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.split()[-1], setting)

    def test_retry_on_a_range(self):
        r = self.backoff(*FAST, "--retry-on", "3-5", "--",
                         self.fail_n(2, code=4))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)
        r = self.backoff(*FAST, "--retry-on", "3-5", "--",
                         self.fail_n(99, code=6))
        self.assertEqual(r.returncode, 6)
        self.assertIn("after 1 try (rc=6: gave up: fatal error)", r.stderr)

    def test_giveup_on_a_range(self):
        r = self.backoff(*FAST, "--giveup-on", "10-20", "--",
                         self.fail_n(99, code=15))
        self.assertEqual(r.returncode, 15)
        self.assertEqual(self.runs(), 1)

    def test_success_on_other_statuses_exits_0(self):
        r = self.backoff(*FAST, "--success-on", "0,3", "--",
                         self.fail_n(99, code=3))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 1)

    def test_until_failure(self):
        """--success-on 1: retried while it succeeds (retry's -u fail)."""
        until_fails = self.script("until_fails.sh", f"""\
            [ "$(wc -l < {self.runs_file})" -ge 3 ] && exit 1
            exit 0
            """)
        r = self.backoff(*FAST, "--success-on", "1", "--", until_fails)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)
        self.assertEqual(r.stderr.count("(rc=0)"), 2)

    def test_zero_can_be_retried_or_fatal_once_it_is_not_success(self):
        r = self.backoff(*FAST, "--success-on", "1", "--giveup-on", "0", "--",
                         self.fail_n(0))
        self.assertEqual(r.returncode, 1, r.stderr)  # 0, but a failure
        self.assertEqual(self.runs(), 1)
        self.assertIn("(rc=0: gave up: fatal error)", r.stderr)

    def test_a_status_cannot_both_succeed_and_fail(self):
        r = self.backoff("--success-on", "0,1", "--retry-on", "1-2", "true")
        self.assertEqual(r.returncode, 2)
        self.assertIn("status 1 cannot both succeed", r.stderr)

    def test_bad_sets_are_usage_errors(self):
        for value in ("", "x", "1-", "-3", "5-2", "256", "1,,2", "1-2-3"):
            with self.subTest(value=value):
                r = self.backoff("--retry-on", value, "true")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("--retry-on", r.stderr)
        self.assertEqual(self.runs(), 0)

    # tries ---------------------------------------------------------------
    def test_five_tries_by_default(self):
        r = self.backoff(*FAST, "--", self.fail_n(99))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.runs(), 5)
        self.assertIn("after 5 tries (rc=1: gave up: tries limit reached)",
                      r.stderr)

    def test_tries_0_is_unlimited(self):
        r = self.backoff(*FAST, "--tries", "0", "--", self.fail_n(12))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 13)

    def test_a_spec_without_tries_keeps_the_default(self):
        r = self.backoff("--policy", "fibo(max=3) time=60", "--print-policy")
        self.assertIn(" tries=5 ", r.stdout)
        env = dict(os.environ, BACKOFF_POLICY="constant(interval=0) tries=2")
        r = self.backoff("--jitter", "none", "--", self.fail_n(99), env=env)
        self.assertEqual(self.runs(), 2)

    def test_options_override_backoff_policy(self):
        env = dict(os.environ, BACKOFF_POLICY="fibo(max=8) tries=9 seed=3")
        r = self.backoff("--tries", "2", "--print-policy", env=env)
        self.assertEqual(r.stdout, "fibo(max=8) jitter=full tries=2 time=0 "
                                   "giveup-on=126,127 seed=3\n")
        r = self.backoff("--policy", "tries=4", "--print-policy", env=env)
        self.assertIn(" tries=4 ", r.stdout)

    def test_wait_parameters_change_the_current_wait(self):
        cases = [
            ([], "expo(base=2,factor=0.2,max=0)"),
            (["--policy", "expo(base=3,max=9)"],
             "expo(base=3,factor=0.2,max=9)"),
            (["--wait", "expo"], "expo(base=2,factor=0.2,max=0)"),
            (["--policy", "decay(initial=5)"], "decay(initial=5,factor=0.2,min=0)"),
        ]
        for args, wait in cases:
            with self.subTest(args=args):
                r = self.backoff(*args, "--factor", "0.2", "--print-policy")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(r.stdout.split()[0], wait)

    # output patterns -----------------------------------------------------
    def test_retry_if_output_retries_a_success_that_says_it_failed(self):
        limited = self.script("limited.sh", f"""\
            [ "$(wc -l < {self.runs_file})" -le 2 ] && echo "429 rate limited"
            exit 0
            """)
        r = self.backoff(*FAST, "--retry-if-output", "rate[ -]limit",
                         "--", limited)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)
        self.assertEqual(r.stdout, "")  # the final attempt printed nothing
        self.assertEqual(r.stderr.count("429 rate limited"), 2)

    def test_retry_if_output_reads_stderr_too(self):
        r = self.backoff(*FAST, "--tries", "3", "--retry-if-output",
                         "^busy$", "--",
                         self.script("busy.sh", "echo busy >&2\n"))
        self.assertEqual(r.returncode, 1, r.stderr)  # 0, failed by output
        self.assertEqual(self.runs(), 3)
        self.assertIn("(rc=0: gave up: tries limit reached)", r.stderr)

    def test_until_output_waits_for_the_text(self):
        ready = self.script("ready.sh", f"""\
            printf 'status:\\n'
            [ "$(wc -l < {self.runs_file})" -ge 3 ] && printf 'ready\\n'
            printf 'done\\n'
            """)
        r = self.backoff(*FAST, "--until-output", "^ready$", "--", ready)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)
        self.assertEqual(r.stdout, "status:\nready\ndone\n")

    def test_until_output_still_needs_a_success_status(self):
        r = self.backoff(*FAST, "--tries", "2", "--until-output", "ready",
                         "--", self.script("liar.sh", "echo ready; exit 3\n"))
        self.assertEqual(r.returncode, 3)
        self.assertEqual(self.runs(), 2)

    def test_patterns_are_matched_line_by_line(self):
        # '.' does not cross a line: "rate\nlimit" is no match for rate.limit
        r = self.backoff(*FAST, "--retry-if-output", "rate.limit", "--",
                         self.script("two_lines.sh", "printf 'rate\\nlimit\\n'\n"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 1)

    def test_patterns_see_past_nul_bytes_and_long_output(self):
        noisy = self.script("noisy.sh", """\
            head -c 300000 /dev/zero
            printf '\\nneedle\\n'
            """)
        r = self.backoff(*FAST, "--tries", "2", "--retry-if-output",
                         "^needle$", "--", noisy)
        self.assertEqual(self.runs(), 2, r.stderr)
        self.assertEqual(r.returncode, 1)

    def test_an_explicit_giveup_outranks_the_output(self):
        r = self.backoff(*FAST, "--giveup-on", "4", "--retry-if-output", "x",
                         "--", self.script("x.sh", "echo x; exit 4\n"))
        self.assertEqual(r.returncode, 4)
        self.assertEqual(self.runs(), 1)

    def test_a_bad_pattern_is_a_usage_error(self):
        r = self.backoff("--until-output", "(", "true")
        self.assertEqual(r.returncode, 2)
        self.assertIn("invalid regular expression '(' for --until-output",
                      r.stderr)

    def test_print_policy_says_what_a_spec_cannot_hold(self):
        r = self.backoff("--success-on", "0,1", "--print-policy")
        self.assertEqual(r.returncode, 0)
        self.assertIn("not part of the spec", r.stderr)


if __name__ == "__main__":
    main()
