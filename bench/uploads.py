"""Benchmark: a 10 MB PDF sent with the public complaint form (issue 17).

Target: uploading a 10 MB PDF through the public form adds under 1 s of server time over
the same form without it (scanning excluded: no clamd is configured), and the memory the
request takes stays bounded (the file is streamed, never read whole).

The portal runs in this process under Werkzeug's threaded server on loopback; the client
(http.client) posts a multipart body streamed from a file on disk, as a browser does. The
*server time* of a request is measured inside the server, by a WSGI wrapper: from the call
of the app (the request's headers read) until its response is closed, so it includes
reading the body off the socket and parsing it. Each round sends the form page and then
the check-your-answers page's Send (which makes the record and its document), with and
without the PDF, alternately, so that both see the same machine. Memory is measured in a
separate round under tracemalloc (which slows Python down): the peak of Python's
allocations during the upload request, against the file's size.

    .venv/bin/python bench/uploads.py                 # SQLite
    .venv/bin/python bench/uploads.py --database postgresql://postgres@127.0.0.1/portal_bench_uploads
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import io
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # so that "public" is our blueprint package (docs/development.md)
os.environ.setdefault("PORTAL_ENV", "test")

MB = 1024 * 1024
COMPLAINT = {
    "role": "parent_or_carer", "about": "child", "about_name": "Sam Example", "about_consent": "yes",
    "team": "not_sure", "summary": "Nobody has told us who our son's new social worker is.",
    "when_it_happened": "Since September", "desired_outcome": "A named worker and a visit.",
    "at_risk": "no", "advocate": "no", "name": "Alex Example", "contact_methods": "email",
    "email": "alex@example.org", "phone": "", "address": "", "support_needs": "",
}


class Timed:
    """WSGI wrapper: the server time of each request, by path and method."""

    def __init__(self, app):
        self.app = app
        self.times: list[tuple[str, str, float]] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        body = self.app(environ, start_response)
        timed = self

        class Closing:
            def __iter__(self):
                return iter(body)

            def close(self):
                if hasattr(body, "close"):
                    body.close()
                with timed.lock:
                    timed.times.append((environ["REQUEST_METHOD"], environ["PATH_INFO"],
                                        time.perf_counter() - started))

        return Closing()


def multipart(fields: dict, files: list[tuple[str, Path]], boundary: str) -> tuple[list, int]:
    """The parts of a multipart/form-data body (bytes, or a file to stream) and its length."""
    parts: list = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, path in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode())
        parts.append(path)
        parts.append(b"\r\n")
    if not files:  # the browser's empty file part
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename=""\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n\r\n".encode())
    parts.append(f"--{boundary}--\r\n".encode())
    length = sum(p.stat().st_size if isinstance(p, Path) else len(p) for p in parts)
    return parts, length


class Client:
    """One person's browser: a cookie jar over http.client, the body streamed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, body_parts=None, length=0, content_type=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.putrequest(method, path)
        if self.cookies:
            conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            conn.putheader("Content-Type", content_type)
            conn.putheader("Content-Length", str(length))
        conn.endheaders()
        for part in body_parts or []:
            if isinstance(part, Path):
                with open(part, "rb") as f:
                    while chunk := f.read(256 * 1024):
                        conn.send(chunk)
            else:
                conn.send(part)
        response = conn.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, response.headers.get("Location"), text

    def get(self, path):
        return self._send("GET", path)

    def post_multipart(self, path, fields, files):
        boundary = secrets.token_hex(16)
        parts, length = multipart(fields, files, boundary)
        return self._send("POST", path, parts, length, f"multipart/form-data; boundary={boundary}")

    def post_form(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        return self._send("POST", path, [body], len(body), "application/x-www-form-urlencoded")


def csrf(html: str) -> str:
    return re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def send_complaint(port: int, pdf: Path | None) -> None:
    client = Client(port)
    _, _, page = client.get("/complaint")
    status, location, text = client.post_multipart(
        "/complaint", {**COMPLAINT, "csrf_token": csrf(page)}, [("files", pdf)] if pdf else [])
    assert status == 302 and location.endswith("/complaint/check"), (status, text[:3000])
    _, _, page = client.get("/complaint/check")
    status, location, _ = client.post_form("/complaint/check", {"csrf_token": csrf(page)})
    assert status == 302, status


def make_pdf(path: Path, size: int) -> None:
    from tests.files_made import pdf_of_size

    path.write_bytes(pdf_of_size(size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="a PostgreSQL URL (emptied); default a new SQLite file")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    from werkzeug.serving import make_server

    from bench.public_forms import portal_app

    tmp = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    database = args.database or f"sqlite:///{tmp / 'bench.sqlite3'}"
    app = portal_app(database, tmp)  # the same fresh portal the public forms' benchmark uses
    timed = Timed(app.wsgi_app)
    app.wsgi_app = timed
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port

    pdf = tmp / "EHC plan.pdf"
    make_pdf(pdf, 10 * MB)
    for _ in range(2):  # warm up both ways
        send_complaint(port, pdf)
        send_complaint(port, None)
    timed.times.clear()

    rounds = {"with": [], "without": []}
    for _ in range(args.rounds):
        for which in ("without", "with"):
            timed.times.clear()
            send_complaint(port, pdf if which == "with" else None)
            deadline = time.monotonic() + 10  # the server closes a response just after sending it
            while len(posts := [t for method, _, t in list(timed.times) if method == "POST"]) < 2 \
                    and time.monotonic() < deadline:
                time.sleep(0.01)
            form_post = [t for method, path, t in list(timed.times) if method == "POST" and path == "/complaint"]
            send_post = [t for method, path, t in list(timed.times) if method == "POST" and path == "/complaint/check"]
            rounds[which].append((form_post[-1], send_post[-1]))  # (form page, Send)

    peaks = {}
    for which, file in (("without", None), ("with", pdf)):
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        send_complaint(port, file)
        peaks[which] = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
    server.shutdown()

    def ms(values):
        return f"{statistics.median(values) * 1000:.0f} ms"

    def p90(values):
        return f"{sorted(values)[int(len(values) * 0.9) - 1] * 1000:.0f} ms" if len(values) >= 10 else "-"

    form_without = [r[0] for r in rounds["without"]]
    form_with = [r[0] for r in rounds["with"]]
    send_without = [r[1] for r in rounds["without"]]
    send_with = [r[1] for r in rounds["with"]]
    both_without = [a + b for a, b in rounds["without"]]
    both_with = [a + b for a, b in rounds["with"]]
    added = statistics.median(both_with) - statistics.median(both_without)
    print(f"database: {'PostgreSQL' if database.startswith('postgresql') else 'SQLite'}; "
          f"{args.rounds} rounds; load average {os.getloadavg()[0]:.1f}")
    print("| server time (median / 90th) | without a file | with a 10 MB PDF |")
    print("|---|---|---|")
    print(f"| the form page's POST | {ms(form_without)} / {p90(form_without)} | {ms(form_with)} / {p90(form_with)} |")
    print(f"| Send (the record and its document) | {ms(send_without)} / {p90(send_without)} | "
          f"{ms(send_with)} / {p90(send_with)} |")
    print(f"| both | {ms(both_without)} / {p90(both_without)} | {ms(both_with)} / {p90(both_with)} |")
    print(f"added by the PDF (medians): {added * 1000:.0f} ms (target: under 1000 ms)")
    print(f"peak Python memory of one round (tracemalloc, server and client): without a file "
          f"{peaks['without'] / MB:.1f} MB, with the {pdf.stat().st_size / MB:.0f} MB PDF {peaks['with'] / MB:.1f} MB")


if __name__ == "__main__":
    main()
