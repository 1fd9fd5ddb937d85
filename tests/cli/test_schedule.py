#!/usr/bin/env python3
"""--schedule: the waits the library would give, printed without running
anything. With the shared test vectors' specs (every attempt failing after
0.25 s) it must print exactly their waits, which the C core and the Rust and
Go bindings also prove: the command gives the same waits as every binding."""
from harness import VECTORS, CliCase, main


def schedule_of(text):
    """(waits, closing line) of --schedule's output."""
    waits = []
    closing = ""
    for line in text.splitlines():
        if line.startswith("# gives up") or line.startswith("# and more"):
            closing = line
        elif not line.startswith("#"):
            waits.append(float(line.split("\t")[2]))
    return waits, closing


OUTCOMES = {
    "tries": "tries limit reached",
    "time": "time limit reached",
    "exhausted": "no more waits",
}


class ScheduleTest(CliCase):
    def test_every_shared_vector(self):
        checked = 0
        with open(VECTORS) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                spec, outcome, waits = line.rstrip("\n").split("\t")
                # The command's default of 5 tries applies to a spec that
                # sets none; the vectors mean the library's unlimited.
                extra = [] if "tries=" in spec else ["--tries", "0"]
                r = self.backoff("--policy", spec, *extra, "--schedule=0.25")
                with self.subTest(spec=spec):
                    self.assertEqual(r.returncode, 0, r.stderr)
                    got, closing = schedule_of(r.stdout)
                    self.assertEqual(got, [float(w) for w in waits.split(",")
                                           if w])
                    self.assertIn(OUTCOMES[outcome], closing)
                checked += 1
        self.assertGreater(checked, 300)

    def test_default_policy(self):
        r = self.backoff("--jitter", "none", "--schedule")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), [
            "# attempt\tfails at\twait\tnext at (seconds; every attempt "
            "failing after 0 s)",
            "1\t0\t1\t1",
            "2\t1\t2\t3",
            "3\t3\t4\t7",
            "4\t7\t8\t15",
            "# gives up after attempt 5: gave up: tries limit reached",
        ])

    def test_the_clamp_to_the_time_limit(self):
        # Attempts take 1 s; expo waits 1, 2, then 4 shortened to the 3 s
        # left before the 9 s limit.
        r = self.backoff("--jitter", "none", "--tries", "0", "--max-time",
                         "9", "--schedule=1")
        waits, closing = schedule_of(r.stdout)
        self.assertEqual(waits, [1, 2, 3])
        self.assertIn("time limit reached", closing)

    def test_an_unlimited_policy_is_cut_short(self):
        r = self.backoff("--tries", "0", "--wait", "constant", "--schedule")
        waits, closing = schedule_of(r.stdout)
        self.assertEqual(len(waits), 100)
        self.assertIn("only the first 100", closing)

    def test_seeded_schedules_repeat_and_unseeded_ones_differ(self):
        seeded = [self.backoff("--seed", "7", "--schedule").stdout
                  for _ in range(2)]
        self.assertEqual(seeded[0], seeded[1])
        unseeded = {self.backoff("--schedule").stdout for _ in range(3)}
        self.assertGreater(len(unseeded), 1)


if __name__ == "__main__":
    main()
