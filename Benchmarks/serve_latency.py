#!/usr/bin/env python3
"""Save -> page updated, as `syllabus serve` does it, on the benchmark corpus.

    python3 Benchmarks/serve_latency.py [--notes 2000] [--edits 100] [--outputs site,anki] [--binary PATH]

Generates the corpus (generate_corpus.py, with the outputs --outputs names: by default the
site and the decks, which `serve` builds before telling the page; with epub or cheatsheets,
those are built after the page is told, and the next edit, which comes at once, interrupts
them), starts `syllabus serve
--port 0`, listens on its event stream like an open page, and times, for each edit, from the
write of one note's prose (lambda/overview.md) to the moment the page's HTML served over HTTP
holds the new text after the `reload` event (the time a browser needs to reload and parse is
not included). Then a template change (the site layout) the same way. Reports p50/p95/max and
the server's resident memory after the first edit and after the last. Stdlib only.
"""

import argparse
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def get(port, path):
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            data = conn.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


class Events:
    def __init__(self, port):
        self.conn = socket.create_connection(("127.0.0.1", port))
        self.conn.sendall(b"GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.buffer = ""
        self.wait_for(": connected")

    def wait_for(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        self.conn.settimeout(0.5)
        while text not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {text!r} in {self.buffer[-500:]!r}")
            try:
                data = self.conn.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise ConnectionError("event stream closed")
            self.buffer += data.decode("utf-8", "replace")
        self.buffer = self.buffer.split(text, 1)[1]


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--outputs", default="site,anki", help="the corpus's outputs, comma-separated")
    parser.add_argument("--binary", help="a built syllabus (default: swift build -c release)")
    parser.add_argument("--work", default=str(ROOT / "bench-work" / "serve"))
    args = parser.parse_args()

    binary = args.binary
    if not binary:
        static = ["--static-swift-stdlib"] if platform.system() == "Linux" else []  # as `make build`
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", str(ROOT / ".build-bench")] + static,
                       cwd=ROOT, check=True)
        binary = str(ROOT / ".build-bench" / "release" / "syllabus")
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    corpus = work / "corpus"
    subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), "--out", str(corpus), "--notes", str(args.notes),
                    "--outputs", args.outputs], check=True)
    templates = work / "Templates"
    shutil.copytree(ROOT / "Templates", templates)
    output = work / "Output"
    server = subprocess.Popen([binary, "serve", "--content", str(corpus / "Content"), "--templates", str(templates),
                               "--output", str(output), "--config", str(corpus / "syllabus.yml"), "--port", "0"],
                              stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in server.stderr:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            raise SystemExit("serve did not start")
        # Drain the server's log so it never blocks on a full pipe.
        import threading
        threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
        events = Events(port)
        note = corpus / "Content" / "lambda" / "overview.md"
        page = "/lambda/overview.html"
        if not note.exists():
            raise SystemExit("the corpus has no lambda/overview.md")
        original = note.read_text(encoding="utf-8")
        samples = []
        rss_first = None
        for index in range(args.edits):
            marker = f"Serve benchmark edit {index}."
            start = time.monotonic()
            note.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
            events.wait_for("event: reload")
            while marker not in get(port, page):
                events.wait_for("event: reload")
            samples.append(time.monotonic() - start)
            if index == 0:
                rss_first = rss_mib(server.pid)
        rss_last = rss_mib(server.pid)
        layout = templates / "layout.mustache"
        template_samples = []
        text = layout.read_text(encoding="utf-8")
        for index in range(5):
            marker = f"<!-- serve benchmark {index} -->"
            start = time.monotonic()
            layout.write_text(text.replace("</body>", marker + "</body>", 1), encoding="utf-8")
            events.wait_for("event: reload")
            while marker not in get(port, page):
                events.wait_for("event: reload")
            template_samples.append(time.monotonic() - start)
        ms = lambda s: f"{s * 1000:.0f} ms"
        print(f"one-note prose edit ({len(samples)} edits, {args.notes} notes, outputs {args.outputs}): p50 {ms(percentile(samples, 0.5))}, "
              f"p95 {ms(percentile(samples, 0.95))}, max {ms(max(samples))}")
        print(f"template change ({len(template_samples)} edits): p50 {ms(percentile(template_samples, 0.5))}, "
              f"max {ms(max(template_samples))}")
        print(f"server memory: {rss_first:.0f} MiB after the first edit, {rss_last:.0f} MiB after edit {len(samples)} "
              f"({(rss_last / rss_first - 1) * 100:+.0f} %)")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
