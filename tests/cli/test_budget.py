#!/usr/bin/env python3
"""--budget-file: one retry budget shared by every backoff process that
names the same file. Twenty processes started together against a command
that always fails never retry more than the budget's rule allows in total,
and the file counts every first attempt and retry once; a damaged file, or
one made for another budget, is a clear error.

Windows are 1000 s and nothing waits, so every attempt of a test falls in
one window whatever the machine's speed."""
import os
import struct
import subprocess
import time

from harness import BACKOFF, FAST, CliCase, main

# ratio 0.5, floor 0.005/s over 1000 s = 5 retries: 20 first attempts allow
# 0.5 * 20 + 5 = 15 retries in all.
SPEC = "budget(ratio=0.5,min=0.005,window=1000)"
BOUND = 15

HEADER = struct.Struct("<16sII3d40s")
SLOT = struct.Struct("<qQQ")
SLOTS = 33


def slot_of(path, number):
    """The (first attempts, retries) a budget file holds for slot `number`."""
    with open(path, "rb") as f:
        data = f.read()
    stored, first, retries = SLOT.unpack_from(
        data, HEADER.size + (number % SLOTS) * SLOT.size)
    return (first, retries) if stored == number else (0, 0)


def read_budget_file(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, version, slots, ratio, floor, window, boot = HEADER.unpack_from(data)
    counts = [SLOT.unpack_from(data, HEADER.size + i * SLOT.size)
              for i in range(slots)]
    return {"magic": magic.rstrip(b"\0"), "version": version, "slots": slots,
            "params": (ratio, floor, window), "boot": boot.rstrip(b"\0"),
            "first_attempts": sum(c[1] for c in counts),
            "retries": sum(c[2] for c in counts), "size": len(data)}


class BudgetTest(CliCase):
    def setUp(self):
        super().setUp()
        self.budget = os.path.join(self.tmp, "api.budget")

    def always_fails(self):
        return self.fail_n(10**6)

    def run_together(self, count, *args):
        """`count` backoff processes started at once; their stderr texts."""
        command = self.always_fails()
        processes = [subprocess.Popen(
            [BACKOFF, *FAST, "--tries", "10", "--policy", SPEC, *args, "--",
             command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True) for _ in range(count)]
        errors = []
        for p in processes:
            _, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 1, err)
            errors.append(err)
        return errors

    def test_twenty_processes_never_exceed_the_bound_together(self):
        errors = self.run_together(20, "--budget-file", self.budget)
        retries = self.runs() - 20
        self.assertLessEqual(retries, BOUND)
        # The floor alone allows 5, whatever the order the processes came in.
        self.assertGreaterEqual(retries, 5)
        refused = sum("gave up: retry budget exhausted" in e for e in errors)
        by_tries = sum("gave up: tries limit reached" in e for e in errors)
        self.assertEqual(refused + by_tries, 20)
        self.assertGreaterEqual(refused, 1)
        # Nothing lost, nothing counted twice.
        counts = read_budget_file(self.budget)
        self.assertEqual(counts["first_attempts"], 20)
        self.assertEqual(counts["retries"], retries)

    def test_without_the_file_each_process_has_a_budget_of_its_own(self):
        self.run_together(20)
        # Each: 0.5 * 1 + 5 allows 5 retries, so 6 attempts, 120 in all.
        self.assertEqual(self.runs(), 120)

    def test_a_lone_process_gets_the_floor(self):
        r = self.backoff(*FAST, "--tries", "10", "--policy",
                         "budget(ratio=0,min=0.3,window=10)", "--budget-file",
                         self.budget, "--", self.always_fails())
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.runs(), 4)  # 0.3/s over 10 s: 3 retries
        self.assertIn("after 4 tries (rc=1: gave up: retry budget exhausted)",
                      r.stderr)

    def test_later_processes_see_the_retries_of_earlier_ones(self):
        args = [*FAST, "--tries", "10", "--policy",
                "budget(ratio=0,min=0.3,window=1000)", "--budget-file",
                self.budget, "--", self.always_fails()]
        first = self.backoff(*args)
        self.assertIn("after 10 tries", first.stderr)  # 300 allowed
        # A floor of 300 is used up after 300 retries, 33 processes later.
        for _ in range(33):
            r = self.backoff(*args)
        self.assertIn("gave up: retry budget exhausted", r.stderr)
        self.assertEqual(read_budget_file(self.budget)["retries"], 300)

    def test_the_files_slots_count_as_the_librarys_own(self):
        # Slots of 10^9 s, so that no slot ends while the test runs. Ratio 1,
        # no floor: the retries allowed are the first attempts that count.
        spec = "budget(ratio=1,min=0,window=32000000000)"
        width = 32e9 / 32
        args = [*FAST, "--tries", "10", "--policy", spec, "--budget-file",
                self.budget]
        made = self.backoff(*args, "--", "true")  # a file of this boot
        self.assertEqual(made.returncode, 0, made.stderr)
        now = int(time.monotonic() // width)
        with open(self.budget, "r+b") as f:
            data = bytearray(f.read())
            for number in range(now - SLOTS + 1, now + 1):
                # Every slot but two holds counts of the ring's previous
                # lap, expired: huge, and none of them may count.
                counts = (1000, 1000)
                if number == now - SLOTS + 1:  # the oldest, the window's start
                    counts = (100, 1)  # its retries count, its deposits not
                elif number == now - SLOTS + 2:
                    counts = (3, 0)
                elif number == now:
                    counts = (0, 0)
                else:
                    number -= SLOTS
                SLOT.pack_into(data, HEADER.size + (number % SLOTS) * SLOT.size,
                               number, *counts)
            f.seek(0)
            f.write(data)
        r = self.backoff(*args, "--", self.always_fails())
        # 3 first attempts and this run's own allow 4 retries; the oldest
        # slot's one leaves 3: 4 tries.
        self.assertIn("after 4 tries (rc=1: gave up: retry budget exhausted)",
                      r.stderr)
        self.assertEqual(self.runs(), 4)
        self.assertEqual(slot_of(self.budget, now), (1, 3))
        self.assertEqual(slot_of(self.budget, now - SLOTS + 1), (100, 1))

    def test_the_file_is_made_with_the_policys_parameters(self):
        r = self.backoff(*FAST, "--tries", "1", "--budget-file", self.budget,
                         "--", "true")
        self.assertEqual(r.returncode, 0, r.stderr)
        counts = read_budget_file(self.budget)
        self.assertEqual(counts["magic"], b"backoff-budget")
        self.assertEqual(counts["params"], (0.2, 10.0, 10.0))  # the defaults
        self.assertEqual(counts["first_attempts"], 1)
        self.assertEqual(counts["size"], HEADER.size + SLOTS * SLOT.size)

    def test_another_budgets_file_is_refused(self):
        self.backoff("--tries", "1", "--budget-file", self.budget, "true")
        r = self.backoff("--policy", SPEC, "--budget-file", self.budget, "--",
                         self.always_fails())
        self.assertEqual(r.returncode, 125)
        self.assertIn("holds budget(ratio=0.2,min=10,window=10), not "
                      "budget(ratio=0.5,min=0.005,window=1000)", r.stderr)
        self.assertEqual(self.runs(), 0)

    def test_damaged_files_are_clear_errors(self):
        header = HEADER.pack(b"backoff-budget", 1, SLOTS, 0.2, 10.0, 10.0, b"")
        cases = [
            (b"not a budget file at all\n", "is not a backoff budget file"),
            (header, "is not a backoff budget file"),  # cut short
            (HEADER.pack(b"backoff-budget", 7, SLOTS, 0.2, 10.0, 10.0, b"") +
             bytes(SLOTS * SLOT.size), "another backoff version (layout 7)"),
            (HEADER.pack(b"backoff-budget", 1, SLOTS, 0.2, 10.0, 10.0, b"") +
             SLOT.pack(0, 2**63, 0) + bytes((SLOTS - 1) * SLOT.size),
             "holds impossible counts"),
        ]
        for content, message in cases:
            with self.subTest(message=message):
                with open(self.budget, "wb") as f:
                    f.write(content)
                r = self.backoff("--budget-file", self.budget, "--",
                                 self.always_fails())
                self.assertEqual(r.returncode, 125)
                self.assertIn(message, r.stderr)
        self.assertEqual(self.runs(), 0)

    def test_an_empty_file_starts_a_budget(self):
        open(self.budget, "w").close()  # made by someone else, e.g. touch
        r = self.backoff(*FAST, "--tries", "1", "--budget-file", self.budget,
                         "--", "true")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(read_budget_file(self.budget)["first_attempts"], 1)

    def test_counts_from_an_earlier_boot_are_expired(self):
        slots = b"".join(SLOT.pack(n, 1000, 1000) for n in range(SLOTS))
        with open(self.budget, "wb") as f:
            f.write(HEADER.pack(b"backoff-budget", 1, SLOTS, 0.0, 0.3, 10.0,
                                b"an-earlier-boot") + slots)
        r = self.backoff(*FAST, "--tries", "10", "--policy",
                         "budget(ratio=0,min=0.3,window=10)", "--budget-file",
                         self.budget, "--", self.always_fails())
        self.assertEqual(self.runs(), 4, r.stderr)
        counts = read_budget_file(self.budget)
        self.assertEqual((counts["first_attempts"], counts["retries"]), (1, 3))

    def test_a_file_that_cannot_be_opened_is_an_error(self):
        r = self.backoff("--budget-file", os.path.join(self.tmp, "no", "dir"),
                         "--", self.always_fails())
        self.assertEqual(r.returncode, 125)
        self.assertIn("cannot open", r.stderr)
        self.assertEqual(self.runs(), 0)


if __name__ == "__main__":
    main()
