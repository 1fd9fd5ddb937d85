#!/usr/bin/env python3
"""A rate-limited, flaky HTTP service on 127.0.0.1, for the demo: it answers
503, 503, then 429 with `Retry-After: 2`, then 200, and repeats. It prints
its URL on the first line of stdout, then serves until killed.

Usage: flaky_http_server.py [PORT]   (default: a free port)
"""
import http.server
import sys

REPLIES = [
    (503, []),
    (503, []),
    (429, [("Retry-After", "2")]),
    (200, []),
]


class Handler(http.server.BaseHTTPRequestHandler):
    served = 0

    def do_GET(self):
        status, headers = REPLIES[Handler.served % len(REPLIES)]
        Handler.served += 1
        body = b"hello from the flaky service\n" if status == 200 else b"busy\n"
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
    print(f"http://127.0.0.1:{httpd.server_port}/", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
