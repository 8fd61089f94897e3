#!/usr/bin/env python3
"""Measures a built site's full-text search: the index's size against the Markdown's, what the
first query loads, and how long queries take in headless Chromium (real clocks: the page is
driven over the DevTools protocol on a pipe, since `--virtual-time-budget` stops the clocks).

    python3 Benchmarks/search_bench.py SITE_FOLDER MARKDOWN_BYTES [--chromium chromium]

Used by run.py; stdlib only.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# Queries a learner would type on the generated corpus (and the bundled set): words, phrases,
# prefixes while typing, one-letter typos in long words, and service names both ways.
QUERIES = [
    "visibility timeout", "dead-letter queues", "retries and backoff", "provisioned", "idempotent consumers",
    "lambda", "dynamodb", "simple queue service", "sqs", "amazon s3", "bucket policy", "key rotation",
    "encryption at rest", "presigned requests", "canary releases", "health checks", "lifecycle rules",
    "maximum batch size", "default timeout", "request throttling", "cross-account", "cloudtrail",
    "dyn", "conc", "throt", "pagin", "replic", "enc",
    "throtling", "idempotnet", "replicaiton", "pagniation", "encrpytion", "concurent",
    "api gateway", "step functions", "kinesis shard", "iam role", "cloudwatch alarm", "log group",
]

# Runs in the page: the first query cold (what it loads and how long it takes), then every
# query as the box runs it (ranked results, then the snippets of the first eight), each
# twice: the first run may load shards (the figure reported), the second finds them loaded.
SCRIPT = r"""
(async function (queries) {
  function run(query) {
    return new Promise(function (resolve) {
      var start = performance.now();
      SyllabusSearch.search(query, { typing: true }, function (results) {
        var ranked = performance.now() - start;
        SyllabusSearch.withSnippets(results.slice(0, 8), function () {
          resolve({ ms: performance.now() - start, ranked: ranked, count: results.length });
        });
      });
    });
  }
  var first = await run(queries[0]);
  first.loaded = SyllabusSearch.loaded.slice();
  var cold = [], ranked = [], warm = [], counts = {};
  for (var i = 1; i < queries.length; i++) {
    var a = await run(queries[i]);
    var b = await run(queries[i]);
    cold.push(a.ms); ranked.push(a.ranked); warm.push(b.ms); counts[queries[i]] = b.count;
  }
  return JSON.stringify({ first: first, cold: cold, ranked: ranked, warm: warm, counts: counts });
})(QUERIES)
"""


class DevTools:
    """The DevTools protocol over `--remote-debugging-pipe`: JSON messages ended by NUL, the
    browser reading commands on its fd 3 and writing on its fd 4."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="syllabus-search-bench-")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def plumbing():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=plumbing, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0

    def call(self, method, params=None, session=None, timeout=120):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


def index_bytes(site):
    return sum(f.stat().st_size for f in (Path(site) / "assets" / "search").glob("*.js"))


def measure(site, markdown_bytes, chromium="chromium", queries=QUERIES):
    """Returns the index's size and ratio to the Markdown, the first query's loaded bytes and
    time, and the median query times (cold: may load shards; warm: all loaded)."""
    site = Path(site).resolve()
    total = index_bytes(site)
    result = {"index_bytes": total, "markdown_bytes": markdown_bytes, "index_ratio": total / markdown_bytes}
    browser = DevTools(chromium)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.call("Page.enable", session=session)
        browser.call("Page.navigate", {"url": (site / "index.html").as_uri()}, session=session)
        ready = "new Promise(function (r) { (function wait() { if (window.SyllabusSearch && document.readyState === 'complete') r(true); else setTimeout(wait, 20); })(); })"
        browser.call("Runtime.evaluate", {"expression": ready, "awaitPromise": True}, session=session)
        expression = SCRIPT.replace("QUERIES", json.dumps(queries))
        reply = browser.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True},
                             session=session, timeout=300)
        if "exceptionDetails" in reply:
            raise RuntimeError(f"the search benchmark failed in the page: {reply['exceptionDetails']}")
        data = json.loads(reply["result"]["value"])
    finally:
        browser.close()
    first_bytes = sum((site / "assets" / "search" / f"{name}.js").stat().st_size for name in data["first"]["loaded"])
    result.update({
        "first_query": queries[0], "first_query_ms": data["first"]["ms"], "first_query_parts": data["first"]["loaded"],
        "first_query_bytes": first_bytes, "queries": len(queries) - 1,
        "query_median_ms": statistics.median(data["cold"]), "query_max_ms": max(data["cold"]),
        "query_ranked_median_ms": statistics.median(data["ranked"]),
        "query_warm_median_ms": statistics.median(data["warm"]),
        "queries_without_results": sorted(q for q, n in data["counts"].items() if n == 0),
    })
    return result


def report(label, m):
    print(f"  {label}: index {m['index_bytes'] / 1e3:.0f} KB = {m['index_ratio'] * 100:.0f} % of "
          f"{m['markdown_bytes'] / 1e6:.2f} MB of Markdown; first query '{m['first_query']}' loads "
          f"{len(m['first_query_parts'])} parts, {m['first_query_bytes'] / 1e3:.0f} KB, in {m['first_query_ms']:.0f} ms; "
          f"{m['queries']} queries with the snippets of the first 8 results: median {m['query_median_ms']:.1f} ms "
          f"(max {m['query_max_ms']:.0f} ms; ranked results alone {m['query_ranked_median_ms']:.1f} ms; "
          f"again, parts loaded: {m['query_warm_median_ms']:.1f} ms)")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("site")
    p.add_argument("markdown_bytes", type=int)
    p.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = p.parse_args()
    m = measure(args.site, args.markdown_bytes, args.chromium)
    report(args.site, m)
    print(json.dumps(m, indent=2))


if __name__ == "__main__":
    sys.exit(main())
