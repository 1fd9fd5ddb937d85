#!/usr/bin/env python3
"""backoff on a terminal and on broken pipes: an attempt that reads the
terminal gets it (and backoff gets it back), ^C and ^Z at the terminal act
on the whole job, a closed stderr does not stop backoff in the middle of a
kill sequence, and the command keeps SIGPIPE's default action.

The terminal is a pseudo-terminal from Python's pty module; what the tests
type is sent once the program has printed a prompt, so nothing waits on a
clock."""
import os
import pty
import select
import signal
import subprocess
import time

from harness import BACKOFF, FAST, CliCase, main


class Pty:
    """A program on a new pseudo-terminal, as the session's leader."""

    def __init__(self, argv, env=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: never returns
            try:
                os.execve(argv[0], argv, env or os.environ)
            finally:
                os._exit(127)
        self.output = b""

    def expect(self, text, timeout=20):
        """Reads until `text` has been printed (a safety net, not a timing
        assertion: the timeout only stops a hung test)."""
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never came: {self.output!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:  # the terminal closed: all was read
                    data = b""
                if not data:
                    raise AssertionError(f"{text!r} never came: "
                                         f"{self.output!r}")
                self.output += data

    def type(self, text):
        os.write(self.fd, text.encode())

    def wait(self):
        """The exit code, once everything printed has been read."""
        while select.select([self.fd], [], [], 20)[0]:
            try:
                data = os.read(self.fd, 4096)
            except OSError:  # EIO: the last writer has gone
                break
            if not data:
                break
            self.output += data
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


class TerminalTest(CliCase):
    def prompt_reader(self):
        """Prints a prompt, reads a line from the terminal, echoes it."""
        return self.script("ask.sh", f"""\
            n=$(wc -l < {self.runs_file})
            echo "prompt $n:"
            read answer
            echo "got $answer from $n"
            [ "$n" -ge 2 ]
            """)

    def test_an_attempt_can_read_the_terminal(self):
        # Without the handover the attempt, in a background process group,
        # is stopped by SIGTTIN and backoff waits for ever.
        t = Pty([BACKOFF, *FAST, "--", self.prompt_reader()])
        t.expect("prompt 1:")
        t.type("yes\n")
        t.expect("got yes from 1")
        t.expect("prompt 2:")
        t.type("again\n")
        t.expect("got again from 2")
        self.assertEqual(t.wait(), 0)
        self.assertEqual(self.runs(), 2)

    def test_the_terminal_comes_back_after_the_attempt(self):
        # A shell without job control runs backoff in its own process group;
        # if the terminal stayed with the attempt's group, the shell's read
        # afterwards would stop it (or fail), and "after" would never come.
        t = Pty(["/bin/sh", "-c",
                 f"{BACKOFF} {' '.join(FAST)} -- {self.prompt_reader()}; "
                 "echo backoff said $?; read line; echo after $line"])
        for n in (1, 2):
            t.expect(f"prompt {n}:")
            t.type(f"a{n}\n")
        t.expect("backoff said 0")
        t.type("done\n")
        t.expect("after done")
        self.assertEqual(t.wait(), 0)

    def test_ctrl_c_at_the_terminal_stops_the_retries(self):
        t = Pty([BACKOFF, *FAST, "--tries", "5", "--", self.prompt_reader()])
        t.expect("prompt 1:")
        t.type("\x03")  # ^C: the terminal sends SIGINT to the attempt's group
        t.expect("no more retries")
        self.assertEqual(t.wait(), -signal.SIGINT)
        self.assertEqual(self.runs(), 1)
        self.assertIn(b"ask.sh got SIGINT from the terminal", t.output)

    def test_ctrl_c_reaches_a_script_running_backoff(self):
        # The script is in backoff's group, not the attempt's: backoff passes
        # the interrupt on, as the terminal would have.
        t = Pty(["/bin/bash", "-c",
                 f"{BACKOFF} {' '.join(FAST)} -- {self.prompt_reader()}; "
                 "echo not interrupted"])
        t.expect("prompt 1:")
        t.type("\x03")
        self.assertEqual(t.wait(), -signal.SIGINT)  # bash itself stopped
        self.assertNotIn(b"not interrupted", t.output)

    def test_ctrl_z_stops_the_job_and_fg_continues_it(self):
        env = dict(os.environ, PS1="$ ", TERM="dumb")
        t = Pty(["/bin/bash", "--norc", "--noprofile", "-i"], env=env)
        t.expect("$ ")
        t.type(f"{BACKOFF} {' '.join(FAST)} -- {self.prompt_reader()}\n")
        t.expect("prompt 1:")
        t.type("\x1a")  # ^Z: SIGTSTP to the attempt's group; backoff follows
        t.expect("Stopped")
        t.type("fg\n")
        t.type("late\n")  # read by the attempt once it has the terminal back
        t.expect("got late from 1")
        t.expect("prompt 2:")
        t.type("b\n")
        t.expect("got b from 2")
        t.type("echo status=$?\n")
        t.expect("status=0")
        t.type("exit\n")
        t.wait()

    # broken pipes --------------------------------------------------------
    def test_a_closed_stderr_does_not_stop_the_kill_sequence(self):
        # `backoff ... 2>&1 | head -1`: once head has gone, every message
        # backoff writes meets a closed pipe. Without SIGPIPE ignored the
        # first one killed backoff, and the attempt it was about to SIGKILL
        # lived on as an orphan.
        pids = os.path.join(self.tmp, "pids")
        stubborn = self.script("stubborn.sh", f"""\
            trap '' TERM
            echo $$ >> {pids}
            sleep 30 &
            echo $! >> {pids}
            while :; do wait; done
            """)
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            r = subprocess.run([BACKOFF, *FAST, "--tries", "2",
                                "--attempt-timeout", "0.2", "--kill-after",
                                "0.2", "--", stubborn],
                               stderr=write_end, timeout=60)
        finally:
            os.close(write_end)
        self.assertEqual(r.returncode, 124)
        self.assertEqual(self.runs(), 2)
        self.assert_dead(pids)

    def test_the_command_keeps_sigpipe(self):
        # backoff ignores SIGPIPE for itself only: `yes` must still end when
        # its reader goes away, as it would without backoff.
        r = subprocess.run(["bash", "-c",
                            f"{BACKOFF} --tries 1 -- yes | head -1; "
                            "echo ${PIPESTATUS[0]}"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.stdout, f"y\n{128 + signal.SIGPIPE}\n", r.stderr)


if __name__ == "__main__":
    main()
