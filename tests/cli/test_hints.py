#!/usr/bin/env python3
"""Server hints through --hint-file: curl -D against a local HTTP server on
127.0.0.1 that answers 429 with Retry-After (delay-seconds, then an
HTTP-date) and then 200, and a bare value written by a script. The hint
follows the library's rule: it replaces the generated wait (no jitter, the
generator not advanced), and one beyond the time limit ends the run at once.

The generated waits here are 600 s: a test that slept one would time out,
so every wait the tests see being 0 s is the server's."""
import email.utils
import http.server
import os
import threading

from harness import CliCase, main

SLOW = ["--wait", "constant", "--interval", "600", "--jitter", "full"]


class Server:
    """Answers each GET with the next of `replies`: (status, headers)."""

    def __init__(self, replies):
        self.replies = list(replies)
        self.served = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status, headers = outer.replies.pop(0)
                outer.served.append(self.path)
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                body = b"ok\n" if status == 200 else b"busy\n"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/resource"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def http_date(seconds_from_now):
    return email.utils.formatdate(
        email.utils.time.time() + seconds_from_now, usegmt=True)


class HintsTest(CliCase):
    def serve(self, replies):
        server = Server(replies)
        self.addCleanup(server.close)
        return server

    def curl(self, server, *extra):
        hints = os.path.join(self.tmp, "headers")
        return ["--hint-file", hints, "--", "curl", "-fsS", *extra, "-D",
                hints, server.url]

    def test_curl_with_both_forms_of_retry_after(self):
        server = self.serve([
            (429, [("Retry-After", "0")]),
            (429, [("Retry-After", http_date(-30))]),  # a date passed: 0 s
            (200, []),
        ])
        r = self.backoff(*SLOW, *self.curl(server))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "ok\n")
        self.assertEqual(len(server.served), 3)
        self.assertEqual(r.stderr.count(
            "Backing off curl(...) for 0.0s (rc=22, server hint)"), 2,
            r.stderr)

    def test_the_last_responses_header_counts(self):
        # curl -L -D writes every response's headers: the redirect's
        # Retry-After is not the one that answered the request.
        server = self.serve([
            (302, [("Location", "/moved"), ("Retry-After", "100000")]),
            (429, [("Retry-After", "0")]),  # what attempt 1 ends with
            (302, [("Location", "/moved")]),
            (200, []),
        ])
        r = self.backoff(*SLOW, "--max-time", "3600", *self.curl(server, "-L"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(server.served, ["/resource", "/moved", "/resource",
                                         "/moved"])
        self.assertIn("for 0.0s (rc=22, server hint)", r.stderr)

    def test_a_hint_beyond_the_time_limit_gives_up_at_once(self):
        for value in ("100000", http_date(100000)):
            with self.subTest(value=value):
                server = self.serve([(429, [("Retry-After", value)]),
                                     (200, [])])
                r = self.backoff(*SLOW, "--max-time", "3600",
                                 *self.curl(server))
                self.assertEqual(r.returncode, 22, r.stderr)
                self.assertEqual(len(server.served), 1)
                self.assertIn("after 1 try (rc=22: gave up: time limit "
                              "reached; server asked for", r.stderr)

    def test_a_bare_value_from_a_script(self):
        hints = os.path.join(self.tmp, "hint")
        # Fails twice, each time asking for "0 seconds"; the file must be
        # empty when each attempt starts.
        script = self.script("asks.sh", f"""\
            [ -s {hints} ] && exit 9
            n=$(wc -l < {self.runs_file})
            [ "$n" -gt 2 ] && exit 0
            echo 0 > {hints}
            exit 75
            """)
        r = self.backoff(*SLOW, "--hint-file", hints, "--", script)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.runs(), 3)
        self.assertEqual(r.stderr.count("(rc=75, server hint)"), 2)

    def test_the_hint_does_not_advance_the_generator(self):
        hints = os.path.join(self.tmp, "hint")
        # Attempt 1 carries a hint; attempts 2 and 3 do not. With the
        # generator not advanced, their waits are its first two, 0.1 and
        # 0.2 s (expo, factor 0.1, no jitter), not 0.2 and 0.4.
        script = self.script("once.sh", f"""\
            n=$(wc -l < {self.runs_file})
            [ "$n" -eq 1 ] && echo 0 > {hints}
            [ "$n" -ge 4 ]
            """)
        r = self.backoff("--factor", "0.1", "--jitter", "none",
                         "--hint-file", hints, "--", script)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr.splitlines(), [
            "backoff: INFO: Backing off once.sh(...) for 0.0s (rc=1, "
            "server hint)",
            "backoff: INFO: Backing off once.sh(...) for 0.1s (rc=1)",
            "backoff: INFO: Backing off once.sh(...) for 0.2s (rc=1)",
        ])

    def test_a_malformed_hint_is_reported_and_ignored(self):
        hints = os.path.join(self.tmp, "hint")
        script = self.script("junk.sh", f"""\
            echo soon > {hints}
            [ "$(wc -l < {self.runs_file})" -ge 2 ]
            """)
        r = self.backoff("--wait", "constant", "--interval", "0", "--hint-file",
                         hints, "--", script)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"--hint-file {hints}: 'soon' is not a Retry-After "
                      "value", r.stderr)
        self.assertNotIn("server hint", r.stderr)


if __name__ == "__main__":
    main()
