#!/usr/bin/env python3
"""Syllabus build benchmark (issue 6): Syllabus against Hugo and the raw cmark-gfm CLI.

    python3 Benchmarks/run.py [--notes 2000] [--runs 5] [--scales 1,2,4] [--binary PATH]
                              [--outputs LIST] [--corpus DIR] [--json FILE] [--no-hugo] [--no-per-file]

Stdlib only. Builds Syllabus in release mode as `make build` does (`swift build -c release
--scratch-path .build-bench`, on Linux with `--static-swift-stdlib`; not stripped, for `perf`) unless --binary is given, generates the corpus (Benchmarks/generate_corpus.py)
into bench-work/ (git-ignored), then runs every measurement interleaved, round by round, after
one untimed warm-up round, and reports the median and minimum of each:

  full       `syllabus build` into an empty output folder (one per scale: the scaling figures)
  nochange   `syllabus build` again, nothing changed
  onechange  `syllabus build` after one note changed (a different edit each round)
  cmark      the cmark-gfm CLI, one process over all files (the floor, see cmark_floor())
  cmark/file the cmark-gfm CLI, one process per file writing its own .html (informational)
  hugo       Debian's hugo over the same Markdown, minimal templates (when installed)
  full nosearch  the full build with `search: false`: what the search index costs
  full noexam    the full build of a copy without the exam (`exam.yml`, `*.exam.md`): what the
                 exam costs (the exam page, the questions' Anki notes and the book's exam part)
  pandoc     pandoc's EPUB of the same notes, one process over every file (when installed)

The outputs built are those the bundled syllabus.yml enables (--outputs overrides them).
--corpus DIR times a real documentation folder (DIR/Content with its services.yml, as
real-docs.py lays it out) instead of the generated corpus, at scale 1 only; it is copied into
the work folder first, since the one-note rebuild edits a note.

After the rounds, when `perf` is installed, one more full build runs under `perf record`, and the
report gives the share of the build's CPU time spent in the `.apkg` packages, the search index
and the exam page (the `.apkg` has no switch of its own to build without it).

After that, search_bench.py measures the search index of the 1x corpus and of the
bundled study set: its size against the Markdown's, what the first query loads, and query
times in headless Chromium.

Each command runs in its own child process and is reaped with os.wait4, which returns that
child's own rusage: its peak RSS (ru_maxrss) and CPU time, not a maximum over earlier children.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import search_bench  # noqa: E402  (beside this file)
CMARK_ARGS = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Sample:
    def __init__(self, seconds, cpu, rss_kib, stderr=""):
        self.seconds, self.cpu, self.rss_kib, self.stderr = seconds, cpu, rss_kib, stderr

    def stages(self):
        """The `syllabus build --timings` lines of this run: [(stage, seconds)] in order."""
        found = []
        for line in self.stderr.splitlines():
            m = re.match(r"timing: ([0-9.]+) (.+)$", line)
            if m:
                # "Parsing 12 of 2038 files" and "Loading Content" differ from run to run and
                # corpus to corpus: the table keys them by their first word.
                name = m.group(2)
                name = name.split(" ")[0] if name.startswith(("Parsing", "Loading", "Reparsing", "Preparing")) else name
                found.append((name, float(m.group(1))))
        return found


def settle():
    """Flushes the dirty pages earlier runs left (untimed), so that no command is slowed by the
    kernel writing back another's output while it runs; every tool gets the same start."""
    os.sync()


def measure(cmd, cwd=None, stdout=None, check=True):
    """Runs cmd in a fresh child; wall time, CPU time and peak RSS of that child alone."""
    settle()
    with tempfile.TemporaryFile() as err:
        out = stdout if stdout is not None else subprocess.DEVNULL
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if check and proc.returncode != 0:
            err.seek(0)
            log(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))[:300]}\n"
                + err.read().decode(errors="replace")[-4000:])
            sys.exit(1)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stderr)


# ---------------------------------------------------------------------------------------------
# Setup


def bundled_outputs():
    """The outputs the bundled syllabus.yml enables (its `outputs: [a, b]` line), comma-separated."""
    text = (ROOT / "syllabus.yml").read_text(encoding="utf-8")
    found = re.search(r"^outputs:\s*\[([^\]]*)\]", text, re.MULTILINE)
    if not found:
        sys.exit("syllabus.yml has no `outputs: [...]` line to take the benchmark's outputs from")
    return ",".join(o.strip() for o in found.group(1).split(",") if o.strip())


# As `make build` builds it (on Linux, the Swift runtime and Foundation linked into the binary),
# but not stripped: `perf report` names the functions by the symbol table. Stripping leaves the
# code as it is, so the timings hold for `make build`'s binary.
RELEASE_BUILD = ["swift", "build", "-c", "release", "--scratch-path", ".build-bench"] + \
    (["--static-swift-stdlib"] if platform.system() == "Linux" else [])


def build_syllabus():
    log("building syllabus: " + " ".join(RELEASE_BUILD))
    subprocess.run(RELEASE_BUILD, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(RELEASE_BUILD + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    return Path(binary) / "syllabus"


def generate(work, scale, args):
    out = work / f"corpus-x{scale:g}"
    cmd = [sys.executable, str(HERE / "generate_corpus.py"), "--out", str(out), "--notes", str(args.notes),
           "--scale", str(scale), "--outputs", args.outputs, "--seed", args.seed]
    if args.services:
        cmd += ["--services", str(args.services)]
    subprocess.run(cmd, check=True)
    files = sorted(str(p) for p in (out / "Content").rglob("*.md"))
    size = sum(os.path.getsize(f) for f in files)
    return {"dir": out, "content": out / "Content", "config": out / "syllabus.yml", "files": files,
            "bytes": size, "output": work / f"out-x{scale:g}"}


def real_corpus(work, source, args):
    """A copy of a documentation folder (DIR/Content/services.yml and its notes) in the work
    folder, with a syllabus.yml enabling the benchmark's outputs: DIR's own syllabus.yml with its
    outputs line replaced, else a minimal one."""
    source = Path(source).resolve()
    if not (source / "Content" / "services.yml").exists():
        sys.exit(f"{source}: no Content/services.yml (see Benchmarks/real-docs.py for the layout)")
    out = work / "corpus-real"
    discard(out)
    shutil.copytree(source / "Content", out / "Content")
    line = f"outputs: [{', '.join(args.outputs.split(','))}]"
    own = source / "syllabus.yml"
    if own.exists():
        text = re.sub(r"^outputs:.*$", "", own.read_text(encoding="utf-8"), flags=re.MULTILINE)
    else:
        text = f"title: {source.name}\ndeck: {source.name}\n"
    (out / "syllabus.yml").write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")
    files = sorted(str(p) for p in (out / "Content").rglob("*.md"))
    return {"dir": out, "content": out / "Content", "config": out / "syllabus.yml", "files": files,
            "bytes": sum(os.path.getsize(f) for f in files), "output": work / "out-real"}


def run_pandoc(pandoc, corpus, work):
    """pandoc's EPUB of the same notes: one process given every Markdown file (a learner's
    alternative for the ebook; pandoc concatenates its inputs into one book)."""
    out = work / "pandoc" / "notes.epub"
    discard(out.parent)
    out.parent.mkdir(parents=True)
    return measure([pandoc, "--quiet", "-f", "gfm", "-o", str(out)] + corpus["files"])


def hugo_site(work, corpus):
    """A minimal Hugo site over the same Markdown (front matter kept): content/ holds the
    same .md files; single.html prints .Content, list.html lists the section's pages;
    taxonomies, RSS, sitemap, robots.txt and 404 are off; goldmark with unsafe = false."""
    site = work / "hugo-site"
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://bench.example.org/"\ntitle = "Syllabus benchmark"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        '[markup]\ndefaultMarkdownHandler = "goldmark"\n'
        '[markup.goldmark.renderer]\nunsafe = false\n'
        '[markup.goldmark.parser]\nautoHeadingID = true\nautoHeadingIDType = "github"\n')
    (site / "layouts" / "_default" / "single.html").write_text(
        '<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n')
    (site / "layouts" / "_default" / "list.html").write_text(
        '<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>'
        '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n')
    for f in corpus["files"]:
        rel = Path(f).relative_to(corpus["content"])
        dest = site / "content" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    return site


TRASH = None  # set in main(): where earlier outputs go until the run ends


def discard(path):
    """Moves an earlier run's output out of the way instead of deleting it now.

    On ext4 without a journal (this machine's disk), creating a file within 30 s of deleting
    many skips every recently freed inode one by one: 2,200 new files took 1.3 s instead of
    0.11 s here. Deleting between runs would charge each tool for the previous one's
    deletions, so old outputs are renamed into a trash folder and deleted when the run ends."""
    if path.exists():
        path.rename(TRASH / f"{len(list(TRASH.iterdir()))}-{path.name}")


def cmark_floor(cmark, corpus, out_dir):
    """The floor: ONE cmark-gfm process given every file as an argument, HTML to one file.

    cmark-gfm concatenates its input files into one document, so this is exactly the
    parse-and-render work for all 12 MB, with no per-process cost. Running one process per
    file (cmark_per_file) costs ~1-2 ms of exec/dynamic linking per file (2,000 files: seconds),
    which is not Markdown work, and Syllabus also runs as one process; so the single process is
    the fair (and strictest) floor. It is single-threaded, like cmark-gfm itself. Debian's
    cmark-gfm 0.29 CLI has no --footnotes flag (Syllabus enables footnotes; the corpus has none).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "all.html", "wb") as out:
        return measure([cmark] + CMARK_ARGS + corpus["files"], stdout=out)


def cmark_per_file(cmark, corpus, out_dir):
    """Informational: one cmark-gfm process per file, each writing its own .html. Spawned
    directly from here (no shell), which is cheaper than a shell loop or xargs + sh -c."""
    discard(out_dir)
    out_dir.mkdir(parents=True)
    settle()
    start = time.perf_counter()
    cpu0 = os.times()
    for i, f in enumerate(corpus["files"]):
        with open(out_dir / f"{i}.html", "wb") as out:
            subprocess.run([cmark] + CMARK_ARGS + [f], stdout=out, check=True)
    seconds = time.perf_counter() - start
    cpu1 = os.times()
    return Sample(seconds, (cpu1.children_user - cpu0.children_user) + (cpu1.children_system - cpu0.children_system), 0)


def run_hugo(hugo, site, work):
    public = work / "hugo-public"
    discard(public)
    return measure([hugo, "--quiet", "--source", str(site), "--destination", str(public),
                    "--cacheDir", str(work / "hugo-cache")])


TIMINGS = []  # ["--timings"] when the binary has it: the per-stage split


def syllabus_build(binary, corpus, templates, fresh):
    if fresh:
        discard(corpus["output"])
    return measure([str(binary), "build", "--content", str(corpus["content"]), "--templates", str(templates),
                    "--output", str(corpus["output"]), "--config", str(corpus["config"]), "--quiet"] + TIMINGS)


def without_exam(work, corpus):
    """A copy of `corpus` without its exam (`exam.yml` and `*.exam.md`), or None if it has none."""
    content = Path(corpus["content"])
    if not (content / "exam.yml").exists():
        return None
    out = work / "corpus-noexam"
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(content, out / "Content", ignore=shutil.ignore_patterns("exam.yml", "*.exam.md"))
    shutil.copy(corpus["config"], out / "syllabus.yml")
    return dict(corpus, dir=out, content=out / "Content", config=out / "syllabus.yml", output=work / "out-noexam")


# Symbols (regular expressions over perf's demangled names) whose inclusive CPU share `cpu_shares`
# reports: the parts of a full build that have no switch to build without them.
SHARE_SYMBOLS = {
    ".apkg packages": r"AnkiPackage[^ ]*make",
    "search index": r"SearchIndex[^ ]*files",
    "exam page": r"ExamPage",
}


def cpu_shares(binary, corpus, templates, work):
    """Inclusive CPU share of each of SHARE_SYMBOLS in one full build under `perf record`, or {}."""
    perf = shutil.which("perf")
    if not perf:
        log("perf not found: no CPU shares of the .apkg, search index and exam page")
        return {}
    data = work / "perf.data"
    discard(corpus["output"])
    record = subprocess.run([perf, "record", "-F", "999", "-g", "-o", str(data), "--", str(binary), "build",
                             "--content", str(corpus["content"]), "--templates", str(templates),
                             "--output", str(corpus["output"]), "--config", str(corpus["config"]), "--quiet"],
                            capture_output=True, text=True)
    if record.returncode != 0:
        log("perf record failed (perf_event_paranoid?): no CPU shares\n" + record.stderr[-800:])
        return {}
    report = subprocess.run([perf, "report", "-i", str(data), "--children", "--sort", "symbol", "--stdio", "-g", "none"],
                            capture_output=True, text=True).stdout
    demangled = subprocess.run(["swift", "demangle", "--simplified"], input=report, capture_output=True, text=True).stdout \
        if shutil.which("swift") else report
    shares = {}
    for label, pattern in SHARE_SYMBOLS.items():
        best = 0.0
        for line in demangled.splitlines():
            match = re.match(r"\s*([\d.]+)%\s+[\d.]+%\s+\[\.\]\s+(.*)", line)
            if match and re.search(pattern, match.group(2)):
                best = max(best, float(match.group(1)))
        shares[label] = best
    data.unlink(missing_ok=True)
    return shares


def median_stages(samples):
    """The stages of the round whose wall time is the median (the lower one of an even count)."""
    ordered = sorted(samples, key=lambda s: s.seconds)
    return ordered[(len(ordered) - 1) // 2].stages()


def edit_note(corpus, round_index):
    """Changes one note (a different edit every round, so its bytes really change)."""
    path = Path(corpus["content"]) / "lambda" / "overview.md"
    if not path.exists():
        path = Path(sorted(corpus["files"])[len(corpus["files"]) // 2])
    text = path.read_text(encoding="utf-8")
    marker = "\n\nBenchmark edit:"
    text = text.split(marker)[0].rstrip("\n")
    path.write_text(text + f"{marker} round {round_index}, the function keeps its settings.\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Report


def stats(samples):
    secs = [s.seconds for s in samples]
    return {"median": statistics.median(secs), "min": min(secs), "max": max(secs), "runs": secs,
            "cpu_median": statistics.median(s.cpu for s in samples),
            "peak_rss_mib": max(s.rss_kib for s in samples) / 1024}


def main():
    p = argparse.ArgumentParser(description="Syllabus benchmark against Hugo and cmark-gfm.")
    p.add_argument("--notes", type=int, default=2000, help="notes at scale 1 (default 2000, about 12 MB)")
    p.add_argument("--runs", type=int, default=5, help="timed rounds (default 5; the median is reported)")
    p.add_argument("--scales", default="1,2,4", help="corpus sizes for the scaling figures (default 1,2,4)")
    p.add_argument("--binary", help="a syllabus binary to time (default: build one in release mode)")
    p.add_argument("--outputs", help="syllabus.yml outputs, comma-separated (default: the bundled syllabus.yml's)")
    p.add_argument("--corpus", help="time this documentation folder (DIR/Content with services.yml) instead of the generated corpus")
    p.add_argument("--services", type=int, default=0, help="number of services (default: the real catalog's)")
    p.add_argument("--seed", default="1")
    p.add_argument("--work", default=str(ROOT / "bench-work"), help="scratch folder (default bench-work/, git-ignored)")
    p.add_argument("--templates", default=str(ROOT / "Templates"))
    p.add_argument("--no-hugo", action="store_true", help="skip Hugo even if installed")
    p.add_argument("--no-per-file", action="store_true", help="skip the one-process-per-file cmark-gfm run")
    p.add_argument("--json", help="also write the results to this file")
    args = p.parse_args()
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if not args.outputs:
        args.outputs = bundled_outputs()
    scales = [float(s) for s in args.scales.split(",") if s.strip()] if not args.corpus else [1.0]
    if 1.0 not in scales:
        scales.insert(0, 1.0)
    scales.sort()

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    global TRASH
    TRASH = work / "trash"
    if TRASH.exists():
        shutil.rmtree(TRASH)
    TRASH.mkdir()
    binary = Path(args.binary).resolve() if args.binary else build_syllabus()
    help_text = subprocess.run([str(binary), "build", "--help"], capture_output=True, text=True).stdout
    if "--timings" in help_text:
        TIMINGS.append("--timings")
    else:
        log("this syllabus has no `build --timings`: no per-stage split")
    cmark = shutil.which("cmark-gfm")
    hugo = None if args.no_hugo else shutil.which("hugo")
    pandoc = shutil.which("pandoc")
    if not cmark:
        log("cmark-gfm not found: no floor figures")
    if not pandoc:
        log("pandoc not found: no pandoc EPUB figures")

    corpora = {}
    if args.corpus:
        corpora[1.0] = real_corpus(work, args.corpus, args)
    else:
        for scale in scales:
            corpora[scale] = generate(work, scale, args)
    base = corpora[1.0]

    # The corpus must build without a single diagnostic.
    check = subprocess.run([str(binary), "check", "--content", str(base["content"]), "--config", str(base["config"])],
                           capture_output=True, text=True)
    diagnostics = [l for l in check.stderr.splitlines() if l.strip()]
    if args.corpus and diagnostics:
        log(f"syllabus check: {len(diagnostics)} diagnostics in {args.corpus} (timed as it is)")
    elif check.returncode != 0 or diagnostics:
        log("syllabus check reports problems in the generated corpus:\n" + check.stderr[-4000:])
        sys.exit(1)
    log(check.stdout.strip())

    # The same corpus without the full-text search index: what building the index costs.
    nosearch = dict(base, config=base["dir"] / "syllabus-nosearch.yml", output=work / "out-nosearch")
    nosearch["config"].write_text(Path(base["config"]).read_text() + "search: false\n")

    # The same corpus without its exam: what the exam costs.
    noexam = without_exam(work, base)

    site = hugo_site(work, base) if hugo else None
    tasks = []  # (name, function) in the order of one round
    for scale in scales:
        name = "full" if scale == 1.0 else f"full x{scale:g}"
        tasks.append((name, lambda r, c=corpora[scale]: syllabus_build(binary, c, args.templates, fresh=True)))
        if scale == 1.0:
            tasks.append(("full nosearch", lambda r: syllabus_build(binary, nosearch, args.templates, fresh=True)))
            if noexam:
                tasks.append(("full noexam", lambda r: syllabus_build(binary, noexam, args.templates, fresh=True)))
            tasks.append(("nochange", lambda r: syllabus_build(binary, base, args.templates, fresh=False)))
            tasks.append(("onechange", lambda r: (edit_note(base, r), syllabus_build(binary, base, args.templates, fresh=False))[1]))
    if cmark:
        for scale in scales:
            name = "cmark" if scale == 1.0 else f"cmark x{scale:g}"
            tasks.append((name, lambda r, c=corpora[scale], s=scale: cmark_floor(cmark, c, work / f"cmark-x{s:g}")))
        if not args.no_per_file:
            tasks.append(("cmark/file", lambda r: cmark_per_file(cmark, base, work / "cmark-per-file")))
    if hugo:
        tasks.append(("hugo", lambda r: run_hugo(hugo, site, work)))
    if pandoc:
        tasks.append(("pandoc epub", lambda r: run_pandoc(pandoc, base, work)))

    samples = {name: [] for name, _ in tasks}
    for r in range(args.runs + 1):
        label = "warm-up round" if r == 0 else f"round {r}/{args.runs}"
        line = []
        for name, fn in tasks:
            sample = fn(r)
            if r > 0:
                samples[name].append(sample)
            line.append(f"{name} {sample.seconds:.2f}s")
        log(f"{label}: " + ", ".join(line))

    shares = cpu_shares(binary, base, args.templates, work)

    # Search: the index of the corpus just built and of the bundled study set, and queries in
    # headless Chromium (search_bench.py).
    search = {}
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    bundled_files = sorted((ROOT / "Content").rglob("*.md"))
    bundled = {"content": ROOT / "Content", "config": ROOT / "syllabus.yml", "output": work / "out-bundled",
               "bytes": sum(p.stat().st_size for p in bundled_files)}
    syllabus_build(binary, bundled, args.templates, fresh=True)
    for label, corpus in (("bundled", bundled), ("corpus", base)):
        site_dir = Path(corpus["output"]) / "site"
        if chromium:
            search[label] = search_bench.measure(site_dir, corpus["bytes"], chromium)
        else:
            total = search_bench.index_bytes(site_dir)
            search[label] = {"index_bytes": total, "markdown_bytes": corpus["bytes"], "index_ratio": total / corpus["bytes"]}
    if not chromium:
        log("chromium not found: no query figures")

    shutil.rmtree(TRASH)
    results = {name: stats(s) for name, s in samples.items()}
    med = {name: v["median"] for name, v in results.items()}

    # ---- Print
    nproc = os.cpu_count()
    print()
    source = f"corpus {args.corpus}" if args.corpus else "generated corpus"
    print(f"Syllabus benchmark ({source}): {len(base['files'])} Markdown files, {base['bytes'] / 1e6:.1f} MB; "
          f"outputs [{args.outputs}]; {args.runs} runs each, interleaved, after a warm-up round; "
          f"{nproc} cores, {platform.platform()}")
    print(f"binary {binary}")
    print()
    print(f"{'measurement':<14}{'median':>9}{'min':>9}{'max':>9}{'CPU':>9}{'peak RSS':>12}")
    for name, v in results.items():
        rss = f"{v['peak_rss_mib']:.0f} MiB" if v["peak_rss_mib"] else "-"
        print(f"{name:<14}{v['median']:>8.2f}s{v['min']:>8.2f}s{v['max']:>8.2f}s{v['cpu_median']:>8.2f}s{rss:>12}")
    print("(CPU = median user+sys seconds of the process; CPU/median > 1 means it used more than one core)")
    if not pandoc:
        print("(pandoc not installed: no pandoc EPUB figure)")

    split = {name: median_stages(samples[name]) for name in ("full", "onechange", "nochange") if TIMINGS}
    if split.get("full"):
        print()
        print("Per stage (syllabus build --timings, wall seconds, the median round of each):")
        names = []
        for stages in split.values():
            names += [n for n, _ in stages if n not in names]
        print(f"  {'stage':<30}" + "".join(f"{k:>11}" for k in split) + f"{'% of full':>11}")
        total = sum(sec for _, sec in split["full"])
        for n in names:
            cells = [dict(stages).get(n) for stages in split.values()]
            full = dict(split["full"]).get(n)
            print(f"  {n:<30}" + "".join(f"{c:>10.3f}s" if c is not None else f"{'-':>11}" for c in cells)
                  + (f"{full / total * 100:>10.0f}%" if full is not None and total else f"{'-':>11}"))

    print()
    ratios = {}
    def ratio(label, a, b):
        if a in med and b in med and med[b] > 0:
            ratios[label] = med[a] / med[b]
            print(f"{label:<18}{ratios[label]:>8.2f}x")
    ratio("full / hugo", "full", "hugo")
    ratio("full / cmark", "full", "cmark")
    ratio("full / cmark/file", "full", "cmark/file")
    ratio("full / pandoc epub", "full", "pandoc epub")
    ratio("nochange / full", "nochange", "full")
    ratio("onechange / full", "onechange", "full")
    ratio("full / nosearch", "full", "full nosearch")
    ratio("full / noexam", "full", "full noexam")
    if shares:
        print()
        print("CPU share of one full build (perf, inclusive):")
        for label, share in shares.items():
            print(f"  {label:<16}{share:>6.1f} %")

    print()
    print("Search:")
    for label, m in search.items():
        if "first_query_bytes" in m:
            search_bench.report(label, m)
        else:
            print(f"  {label}: index {m['index_bytes'] / 1e3:.0f} KB = {m['index_ratio'] * 100:.0f} % of the Markdown")

    print()
    print("Scaling (full build, median):")
    scaling = {}
    t1 = med["full"]
    for scale in scales:
        name = "full" if scale == 1.0 else f"full x{scale:g}"
        cname = "cmark" if scale == 1.0 else f"cmark x{scale:g}"
        c = corpora[scale]
        per_mb = med[name] / (c["bytes"] / 1e6)
        norm = per_mb / (t1 / (base["bytes"] / 1e6))  # time per MB relative to the 1x corpus
        cmark_norm = ((med[cname] / c["bytes"]) / (med["cmark"] / base["bytes"])
                      if cname in med and "cmark" in med else None)
        scaling[f"{scale:g}"] = {"files": len(c["files"]), "bytes": c["bytes"], "seconds": med[name],
                                 "relative_to_linear": norm, "cmark_seconds": med.get(cname),
                                 "cmark_relative_to_linear": cmark_norm,
                                 "peak_rss_mib": results[name]["peak_rss_mib"]}
        # cmark-gfm's own scaling on this machine: a linear algorithm, so what it loses at
        # larger sizes is the machine's (memory, file system), shown for comparison.
        cm = (f", cmark {med[cname]:.2f}s ({(med[cname] / c['bytes']) / (med['cmark'] / base['bytes']):.2f}x of linear)"
              if cname in med and "cmark" in med else "")
        print(f"  {scale:g}x: {len(c['files']):>6} files {c['bytes'] / 1e6:6.1f} MB  {med[name]:7.2f}s  "
              f"{per_mb * 1000:6.0f} ms/MB  {norm:5.2f}x of linear  peak {results[name]['peak_rss_mib']:.0f} MiB{cm}")

    print()
    print("Targets (issue 6):")
    checks = []
    def target(label, ok, detail):
        checks.append({"target": label, "pass": ok, "detail": detail})
        print(f"  {'PASS' if ok else 'FAIL'}  {label:<34} {detail}")
    if "hugo" in med:
        target("full <= 1.0x Hugo", ratios["full / hugo"] <= 1.0, f"{ratios['full / hugo']:.2f}x")
    else:
        print("  SKIP  full <= 1.0x Hugo                 (hugo not installed or --no-hugo)")
    if "cmark" in med:
        target("full <= 3x cmark-gfm", ratios["full / cmark"] <= 3.0, f"{ratios['full / cmark']:.2f}x")
    target("no-change rebuild <= 10% of full", ratios["nochange / full"] <= 0.10, f"{ratios['nochange / full'] * 100:.0f}%")
    target("one-note rebuild <= 15% of full", ratios["onechange / full"] <= 0.15, f"{ratios['onechange / full'] * 100:.0f}%")
    rss = max(results[n]["peak_rss_mib"] for n in ("full", "nochange", "onechange"))
    target(f"peak RSS <= 300 MiB ({len(base['files'])} files)", rss <= 300, f"{rss:.0f} MiB")
    # Linear: at each larger scale, time per MB of Markdown within 25% of the 1x figure. Like
    # every other target it is a ratio against the floor run in the same session: the time per
    # MB is divided by cmark-gfm's own at that scale, because on this machine cmark-gfm (a
    # linear algorithm on one core) itself runs up to 1.4x of linear at 4x (larger memory
    # footprints cost more per byte here). Both raw figures are printed.
    if len(scales) > 1:
        floor = all(v["cmark_relative_to_linear"] for v in scaling.values())
        relative = {k: v["relative_to_linear"] / (v["cmark_relative_to_linear"] if floor else 1) for k, v in scaling.items()}
        target("linear scaling (within 25%" + (", vs cmark-gfm's)" if floor else ")"), max(relative.values()) <= 1.25,
               ", ".join(f"{k}x: {relative[k]:.2f}" + (f" ({v['relative_to_linear']:.2f} raw, cmark-gfm {v['cmark_relative_to_linear']:.2f})"
                                                       if floor and k != "1" else "") for k, v in scaling.items()))

    print()
    print("Targets (issue 18, every output enabled):")
    if "hugo" in med:
        target("full <= 0.5x Hugo", ratios["full / hugo"] <= 0.5, f"{ratios['full / hugo']:.2f}x")
    if "cmark" in med:
        target("full <= 4x cmark-gfm", ratios["full / cmark"] <= 4.0, f"{ratios['full / cmark']:.2f}x")
    target("one-note rebuild <= 5% of full", ratios["onechange / full"] <= 0.05, f"{ratios['onechange / full'] * 100:.1f}%")
    target("no-change rebuild <= 3% of full", ratios["nochange / full"] <= 0.03, f"{ratios['nochange / full'] * 100:.1f}%")
    target("peak RSS <= 300 MiB (full, 1x)", results["full"]["peak_rss_mib"] <= 300, f"{results['full']['peak_rss_mib']:.0f} MiB")
    if "full / noexam" in ratios:
        target("exam adds <= 15% to a full build", ratios["full / noexam"] <= 1.15, f"{(ratios['full / noexam'] - 1) * 100:+.0f}%")
    if ".apkg packages" in shares:
        target(".apkg packages <= 15% of a full build's CPU", shares[".apkg packages"] <= 15, f"{shares['.apkg packages']:.1f}%")

    print()
    print("Targets (issue 15, search):")
    for label, m in search.items():
        target(f"index <= 60% of Markdown ({label})", m["index_ratio"] <= 0.60, f"{m['index_ratio'] * 100:.0f}%")
    if "first_query_bytes" in search.get("corpus", {}):
        corpus_search = search["corpus"]
        target("first query loads <= 1 MB (corpus)", corpus_search["first_query_bytes"] <= 1_000_000,
               f"{corpus_search['first_query_bytes'] / 1e3:.0f} KB")
        target("query median < 20 ms (corpus)", corpus_search["query_median_ms"] < 20, f"{corpus_search['query_median_ms']:.1f} ms")
    target("search index adds <= 15% to a full build", ratios["full / nosearch"] <= 1.15,
           f"{(ratios['full / nosearch'] - 1) * 100:+.0f}%")

    if args.json:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        data = {"config": {"notes": args.notes, "corpus": args.corpus, "runs": args.runs, "scales": scales, "outputs": args.outputs,
                           "seed": args.seed, "files": len(base["files"]), "bytes": base["bytes"],
                           "binary": str(binary), "commit": commit, "cores": nproc, "platform": platform.platform()},
                "results": results, "stages": split, "ratios": ratios, "scaling": scaling, "search": search, "cpu_shares": shares,
                "targets": checks}
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
        log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
