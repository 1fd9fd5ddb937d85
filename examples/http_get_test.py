#!/usr/bin/env python3
"""Runs examples/c/http_get against a local HTTP server on 127.0.0.1 and
checks what it did: the exact waits it chose (with --seed and --no-wait),
the requests the server saw, the body and the exit status.

The expected waits come from tests/vectors/reference_model.py, the
independent model of the documented waits: expo 1, 2, 4 ... with full
jitter from the seeded SplitMix64. A Retry-After takes no random draw and
does not advance expo, so the model's waits around a hint are the ones it
would have given without it.

Usage: http_get_test.py HTTP_GET REFERENCE_MODEL
"""
import email.utils
import http.server
import importlib.util
import socket
import subprocess
import sys
import threading
import time

SEED = 7


def http_date(offset):
    return email.utils.formatdate(time.time() + offset, usegmt=True)


# Per path, the server's answers in order: (status, headers, body), or
# "stall" for a request it sits on until the client times out.
SCRIPTS = {
    "/hints": [(503, {}, b""), (503, {}, b""), (429, {"Retry-After": "2"}, b""),
               (500, {}, b""), (200, {}, b"hello\n")],
    "/past-date": [(429, {"Retry-After": http_date(-3600)}, b""),
                   (200, {}, b"ok\n")],
    "/far-date": [(503, {}, b""), (429, {"Retry-After": http_date(86400)}, b"")],
    "/too-long": [(429, {"Retry-After": "100"}, b"")],
    "/no-hint": [(429, {}, b""), (429, {"Retry-After": "soon"}, b""),
                 (200, {}, b"ok\n")],
    "/not-found": [(404, {}, b"")],
    "/slow": ["stall", (200, {}, b"late\n")],
}
requests = {path: 0 for path in SCRIPTS}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        script = SCRIPTS.get(self.path, [])
        n = requests.get(self.path, 0)
        requests[self.path] = n + 1
        if n >= len(script):
            self.send_error(418, "more requests than the script has")
            return
        if script[n] == "stall":
            time.sleep(2)
            return
        status, headers, body = script[n]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Waits:
    """The model's generated waits for a fresh run of the example."""

    def __init__(self, model):
        self.rng = model.SplitMix64(SEED)
        self.expo = model.expo()
        self.jitter = model.Jitter("full")

    def next(self):
        return self.jitter.apply(next(self.expo), self.rng)


def backoff_line(tries, failure, wait, hint=False):
    return (f"http_get: try {tries}: {failure}; retrying in {wait:g} s"
            + (" (Retry-After)" if hint else ""))


def main():
    http_get, model_path = sys.argv[1:3]
    spec = importlib.util.spec_from_file_location("reference_model", model_path)
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/"

    failures = 0

    def check(name, url, lines, end, body=b"", status=0, requests_seen=None,
              extra=()):
        nonlocal failures
        run = subprocess.run([http_get, "--seed", str(SEED), "--no-wait",
                              *extra, url], capture_output=True, timeout=30)
        got = run.stderr.decode().splitlines()
        want = lines + ([end] if end else [])
        problems = []
        if got != want:
            problems.append("stderr:\n  got  " + "\n       ".join(got)
                            + "\n  want " + "\n       ".join(want))
        if run.stdout != body:
            problems.append(f"stdout {run.stdout!r}, want {body!r}")
        if run.returncode != status:
            problems.append(f"exit status {run.returncode}, want {status}")
        path = url[len(base):]
        if requests_seen is not None and requests.get(path) != requests_seen:
            problems.append(f"{requests.get(path)} requests, want {requests_seen}")
        print(("ok   " if not problems else "FAIL ") + name)
        for p in problems:
            print("  " + p)
        failures += bool(problems)

    w = Waits(model)
    check("a Retry-After replaces one wait; expo and jitter resume after it",
          base + "/hints",
          [backoff_line(1, "HTTP 503", w.next()),
           backoff_line(2, "HTTP 503", w.next()),
           backoff_line(3, "HTTP 429", 2, hint=True),
           backoff_line(4, "HTTP 500", w.next())],
          None, body=b"hello\n", requests_seen=5)

    check("an HTTP-date in the past: retry at once", base + "/past-date",
          [backoff_line(1, "HTTP 429", 0, hint=True)], None, body=b"ok\n",
          requests_seen=2)

    w = Waits(model)
    check("an HTTP-date beyond max_time gives up at once", base + "/far-date",
          [backoff_line(1, "HTTP 503", w.next())],
          "http_get: gave up: time limit reached after 2 tries (last: HTTP 429)",
          status=1, requests_seen=2)

    check("delay-seconds beyond max_time gives up at once", base + "/too-long",
          [], "http_get: gave up: time limit reached after 1 tries "
          "(last: HTTP 429)", status=1, requests_seen=1)

    w = Waits(model)
    check("a 429 without a usable Retry-After waits the policy's wait",
          base + "/no-hint",
          [backoff_line(1, "HTTP 429", w.next()),
           backoff_line(2, "HTTP 429", w.next())],
          None, body=b"ok\n", requests_seen=3)

    check("a 4xx other than 429 is not retried", base + "/not-found", [],
          "http_get: gave up: fatal error after 1 tries (last: HTTP 404)",
          status=1, requests_seen=1)

    w = Waits(model)
    refused = "Couldn't connect to server"
    check("connection errors are retried until max_tries", closed,
          [backoff_line(i, refused, w.next()) for i in range(1, 5)],
          f"http_get: gave up: tries limit reached after 5 tries "
          f"(last: {refused})", status=1)

    w = Waits(model)
    check("a time-out is retried", base + "/slow",
          [backoff_line(1, "Timeout was reached", w.next())], None,
          body=b"late\n", requests_seen=2, extra=["--timeout", "0.3"])

    server.shutdown()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
