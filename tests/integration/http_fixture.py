#!/usr/bin/env python3
"""http_fixture.py -- a loopback HTTP server that misbehaves on purpose.

Serves the files of DIR and a few canned failures, for the importer's
"never serve garbage" tests (t_import_rules.sh, t_catalog.sh):

  /files/NAME     DIR/NAME, with ETag (sha1 of the bytes) and Last-Modified
                  (its mtime); If-None-Match or If-Modified-Since -> 304
  /gzip/NAME      DIR/NAME gzip-encoded (Content-Encoding: gzip) when the
                  client accepts gzip, else as /files/NAME
  /html           200 with an HTML "access denied" page
  /error-body     200 with the 15-byte "error code: 500" real mirrors kept
  /binary         200 with bytes that include NULs
  /500            500 Internal Server Error
  /429            429 with "Retry-After: 3600"
  /503-date       503 with Retry-After as an HTTP date, two hours ahead
  /big            2 MiB of list lines, chunked (no Content-Length)
  /big-cl         the same with a Content-Length
  /slow           headers and a few lines, then nothing for 8 s, then more
  /redirect-loop  302 to itself, forever

Every request is logged to LOG as one line:
  PATH STATUS ua=USER-AGENT ae=ACCEPT-ENCODING inm=IF-NONE-MATCH gzip=0|1

The server binds 127.0.0.1 on a free port (port 0), writes that port to
PORTFILE once it listens, and exits by itself after --lifetime seconds
(default 600) in case nobody stops it.
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import os
import sys
import threading
import time

HTML = (b"<!DOCTYPE html>\n<html><head><title>Access denied</title></head>"
        b"<body><h1>Access denied</h1><p>You have been blocked.</p>"
        b"</body></html>\n")
LINE = b"198.51.100.7\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "http_fixture/1"

    def log_message(self, fmt, *args):
        pass  # one line per request goes to LOG instead, from note()

    def note(self, status, gz=False):
        h = self.headers
        line = "%s %d ua=%s ae=%s inm=%s gzip=%d\n" % (
            self.path, status, h.get("User-Agent", ""),
            h.get("Accept-Encoding", ""), h.get("If-None-Match", ""),
            1 if gz else 0)
        with self.server.log_lock:
            with open(self.server.log, "a") as f:
                f.write(line)

    def reply(self, status, body=b"", headers=None, gz=False):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.note(status, gz)

    def file_headers(self, path, data):
        etag = '"%s"' % hashlib.sha1(data).hexdigest()
        mtime = email.utils.formatdate(os.stat(path).st_mtime, usegmt=True)
        return etag, mtime

    def not_modified(self, etag, path):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return inm == etag
        ims = self.headers.get("If-Modified-Since")
        if ims is None:
            return False
        try:
            t = email.utils.parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            return False
        return int(os.stat(path).st_mtime) <= t

    def serve_file(self, name, allow_gzip):
        path = os.path.join(self.server.dir, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            self.reply(404, b"not found\n")
            return
        etag, mtime = self.file_headers(path, data)
        hdrs = {"ETag": etag, "Last-Modified": mtime,
                "Content-Type": "text/plain"}
        if self.not_modified(etag, path):
            self.send_response(304)
            for k, v in hdrs.items():
                self.send_header(k, v)
            self.end_headers()
            self.note(304)
            return
        gz = allow_gzip and "gzip" in self.headers.get("Accept-Encoding", "")
        if gz:
            data = gzip.compress(data)
            hdrs["Content-Encoding"] = "gzip"
        self.reply(200, data, hdrs, gz)

    def big(self, with_length):
        n = (2 << 20) // len(LINE) + 1
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if with_length:
            self.send_header("Content-Length", str(n * len(LINE)))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = LINE * 4096
        try:
            left = n
            while left > 0:
                k = min(left, 4096)
                part = chunk[:k * len(LINE)]
                if with_length:
                    self.wfile.write(part)
                else:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                left -= k
            if not with_length:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client gave up at its limit, as it should
        self.note(200)
        self.close_connection = True

    def slow(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(20 * len(LINE)))
        self.end_headers()
        try:
            self.wfile.write(LINE * 10)
            self.wfile.flush()
            for _ in range(80):  # 8 s, in steps, then the rest
                time.sleep(0.1)
            self.wfile.write(LINE * 10)
        except OSError:
            pass
        self.note(200)
        self.close_connection = True

    def do_GET(self):
        p = self.path.split("?", 1)[0]
        if p.startswith("/files/"):
            self.serve_file(p[len("/files/"):], False)
        elif p.startswith("/gzip/"):
            self.serve_file(p[len("/gzip/"):], True)
        elif p == "/html":
            self.reply(200, HTML, {"Content-Type": "text/html"})
        elif p == "/error-body":
            self.reply(200, b"error code: 500")
        elif p == "/binary":
            self.reply(200, b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
        elif p == "/500":
            self.reply(500, b"Internal Server Error\n")
        elif p == "/429":
            self.reply(429, b"slow down\n", {"Retry-After": "3600"})
        elif p == "/503-date":
            when = email.utils.formatdate(time.time() + 7200, usegmt=True)
            self.reply(503, b"maintenance\n", {"Retry-After": when})
        elif p == "/big":
            self.big(False)
        elif p == "/big-cl":
            self.big(True)
        elif p == "/slow":
            self.slow()
        elif p == "/redirect-loop":
            self.reply(302, b"", {"Location": "/redirect-loop"})
        else:
            self.reply(404, b"not found\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    a = ap.parse_args()

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.dir = a.dir
    srv.log = a.log
    srv.log_lock = threading.Lock()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    t = threading.Timer(a.lifetime, srv.shutdown)
    t.daemon = True
    t.start()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
