#!/usr/bin/env python3
"""Compiles and runs the C example exactly as README.md shows it (the first
```c block after "### C"), so the README cannot drift from the library.

The program waits until 127.0.0.1:PORT accepts a connection. Checked: with
a listener it succeeds at once; with none it backs off, and once a listener
appears (opened only after its first "Backing off" log line, so no timing
is assumed) it succeeds; without its argument it prints its usage.

Usage: readme_c_test.py README CC BUILD_ROOT
"""
import os
import socket
import subprocess
import sys
import tempfile


def c_block(readme):
    text = open(readme, encoding="utf-8").read()
    start = text.index("```c\n", text.index("\n### C\n")) + len("```c\n")
    return text[start:text.index("```\n", start)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen()
    return s


def main():
    readme, cc, build_root = sys.argv[1:4]
    env = dict(os.environ)
    env["PKG_CONFIG_PATH"] = os.path.join(build_root, "meson-uninstalled")
    env["LD_LIBRARY_PATH"] = os.path.join(build_root, "src")
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "wait_for_port.c")
        program = os.path.join(tmp, "wait_for_port")
        with open(source, "w", encoding="utf-8") as f:
            f.write(c_block(readme))
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "backoff"],
                               env=env, check=True, capture_output=True,
                               text=True).stdout.split()
        subprocess.run([cc, "-Wall", "-Wextra", "-Werror", source, *flags,
                        "-o", program], env=env, check=True)

        failures = []
        usage = subprocess.run([program], env=env, capture_output=True, text=True)
        if usage.returncode != 2 or "usage:" not in usage.stderr:
            failures.append(f"no argument: exit {usage.returncode}, {usage.stderr!r}")

        port = free_port()
        with listen(port):
            ready = subprocess.run([program, str(port)], env=env,
                                   capture_output=True, text=True, timeout=60)
        if ready.returncode != 0 or ready.stderr:
            failures.append(f"listening port: exit {ready.returncode}, "
                            f"{ready.stderr!r}")

        port = free_port()
        late = subprocess.Popen([program, str(port)], env=env,
                                stderr=subprocess.PIPE, text=True)
        first = late.stderr.readline()
        if "Backing off operation(...)" not in first:
            failures.append(f"closed port: first log line {first!r}")
        with listen(port):
            rest = late.communicate(timeout=60)[1]
        if late.returncode != 0 or "Giving up" in rest:
            failures.append(f"port opened late: exit {late.returncode}, {rest!r}")

    for f in failures:
        print("FAIL " + f)
    print("README C example: " + ("ok" if not failures else "FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
