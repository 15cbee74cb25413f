#!/usr/bin/env python3
"""Builds a WARC/1.0 archive, gzip-compressed one member per record (as
crawlers write .warc.gz), from a folder of saved HTML pages: a warcinfo
record, then for each page a request record and a response record holding
the page as an HTTP/1.1 200 response (status line, headers, body as saved).

The URL of each page is taken from trafilatura's evaldata.json when given
(``{url: {"file": name}}``), else made up from the file name. Record ids,
dates and order (by file name) are fixed, so the same pages always give the
same bytes. Standard library only.

usage: bench/make_warc.py [--pages DIR] [--key evaldata.json] [--out FILE]
Prints one JSON line: pages, records, compressed and uncompressed bytes.
"""

import argparse
import base64
import gzip
import hashlib
import json
import os
import sys
import uuid
from urllib.parse import urlsplit

CRAWL_DATE = "2025-01-01T00:00:00Z"
NAMESPACE = uuid.UUID("6c1b5a4e-8d0f-4e5e-9a37-0b7c2f1d9e21")


def record(kind, uri, content_type, block, extra=()):
    """One WARC record as bytes: header block, content block, CRLF CRLF."""
    rid = uuid.uuid5(NAMESPACE, f"{kind} {uri}")
    lines = [
        "WARC/1.0",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: <urn:uuid:{rid}>",
        f"WARC-Date: {CRAWL_DATE}",
    ]
    if uri:
        lines.append(f"WARC-Target-URI: {uri}")
    lines.extend(extra)
    digest = base64.b32encode(hashlib.sha1(block).digest()).decode()
    lines += [
        f"WARC-Block-Digest: sha1:{digest}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(block)}",
    ]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    return head + block + b"\r\n\r\n", rid


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.normpath(os.path.join(here, "..", "..", "shared", "data", "html"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default=os.path.join(data, "pages"))
    ap.add_argument("--key", default=os.path.join(data, "evaldata.json"))
    ap.add_argument("--out", default=os.path.join(here, "out", "pages.warc.gz"))
    args = ap.parse_args()

    urls = {}
    if args.key and os.path.exists(args.key):
        with open(args.key, encoding="utf-8") as f:
            for url, entry in json.load(f).items():
                urls[entry["file"]] = url
    files = sorted(
        n for n in os.listdir(args.pages) if n.endswith((".html", ".htm")) and not n.startswith(".")
    )
    if not files:
        sys.exit(f"make_warc.py: no .html files in {args.pages}")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)) or ".", exist_ok=True)
    plain = 0
    records = 0
    tmp = args.out + ".tmp"
    with open(tmp, "wb") as out:

        def put(rec):
            nonlocal plain, records
            plain += len(rec)
            records += 1
            # one gzip member per record; mtime fixed for the same bytes every run
            out.write(gzip.compress(rec, compresslevel=6, mtime=0))

        info = (
            "software: onrecord bench/make_warc.py\r\n"
            "format: WARC File Format 1.0\r\n"
            f"description: {len(files)} saved pages from {os.path.basename(args.pages)}\r\n"
        ).encode()
        put(record("warcinfo", None, "application/warc-fields", info)[0])
        for name in files:
            with open(os.path.join(args.pages, name), "rb") as f:
                body = f.read()
            uri = urls.get(name, f"http://pages.invalid/{name}")
            parts = urlsplit(uri)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            host = parts.netloc
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
                "User-Agent: onrecord-bench/1.0\r\nAccept: text/html\r\n\r\n"
            ).encode("utf-8")
            req, req_id = record("request", uri, "application/http; msgtype=request", request)
            put(req)
            http = (
                "HTTP/1.1 200 OK\r\n"
                "Content-Type: text/html\r\n"
                f"Content-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n"
            ).encode("ascii") + body
            payload = base64.b32encode(hashlib.sha1(body).digest()).decode()
            rec, _ = record(
                "response",
                uri,
                "application/http; msgtype=response",
                http,
                extra=(
                    f"WARC-Concurrent-To: <urn:uuid:{req_id}>",
                    f"WARC-Payload-Digest: sha1:{payload}",
                ),
            )
            put(rec)
    os.replace(tmp, args.out)
    print(
        json.dumps(
            {
                "out": args.out,
                "pages": len(files),
                "records": records,
                "compressed_bytes": os.path.getsize(args.out),
                "uncompressed_bytes": plain,
            }
        )
    )


if __name__ == "__main__":
    main()
