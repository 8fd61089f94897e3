#!/usr/bin/env python3
"""Fuzz runner for `syllabus build` (issue 13): mutated real Markdown, deep nesting.

Every round builds a small content folder whose notes are mutations of the bundled
Content/ notes or of the deep-nesting generators, with every output enabled, and checks:

  crash   the process ended by a signal, or with a status other than 0 (built) or
          1 (diagnostics), or printed no diagnostic when it failed;
  hang    its CPU time, less Syllabus's fixed cost (building as many small notes, each
          with a card: start-up, templates, each note's files in the four outputs), was more
          than 10x the larger of cmark-gfm's time on the same notes (parsed and rendered as
          Syllabus configures it, footnotes on: Benchmarks/cmark_time.c) and what as many
          bytes of the bundled notes cost Syllabus (its CPU time per byte building all of
          Content/, measured at the start): time out of proportion to the input, not the
          work of making four outputs, which cmark-gfm does not do. 10 ms of clock-tick
          resolution is allowed, the fastest of four tries counts; or it still ran after
          600 s;
  escape  anything outside the output folder changed: the round's content folder and
          configuration, the templates folder, or the folder around the round's files.

A finding's input is kept under <work>/findings/<n>/ with a note of what was seen.
Standard library only, plus a C compiler for cmark_time.c (without one it times the
cmark-gfm CLI, which cannot enable footnotes). From the repository root:

    swift build -c release --product syllabus
    python3 Benchmarks/fuzz.py --minutes 20            # the issue's 20-minute run
    python3 Benchmarks/fuzz.py --minutes 1 --seed 7    # a quick look, reproducible
"""

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CMARK_ARGS = ["-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist"]
RESOLUTION = 0.01
CONFIG = "title: Fuzz\ndeck: Fuzz\noutputs: [site, anki, epub, cheatsheets]\n"

# Markdown and Syllabus syntax the mutations insert: block and inline openers, card and
# cloze markup, raw HTML and dangerous URLs, odd characters and invalid UTF-8.
TOKENS = [
    b"> ", b"- ", b"* ", b"1. ", b"- [ ] ", b"- [x] ", b"*", b"**", b"_", b"~~", b"`", b"```\n", b"~~~\n",
    b"[", b"]", b"](", b")", b"![", b"<", b">", b"|", b"| - |", b"\n| a | b |\n| - | - |\n", b"---\n",
    b"\n", b"\n\n", b"# ", b"## ", b"###### ", b"    ", b"\t", b"\\", b"&amp;", b"&#0;", b"&#x110000;",
    b"<!-- id: x -->", b"<!--", b"-->", b"{{c1::", b"}}", b"::", b" :: ", b"==", b"[^1]", b"[^1]: ",
    b"<script>alert(1)</script>", b"javascript:alert(1)", b"<a href=\"javascript:x\">", b"](javascript:x)",
    b"](../lambda/overview.md#x)", b"](overview.md)", b"https://example.org/", b"www.example.org",
    b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\x00", b"\xff", b"\xc3", b"\xf0\x9f\x98\x80", b"\xef\xbf\xbe",
    b"AWS Lambda", b"Amazon S3", b"DynamoDB",
]

FRONT_MATTER = [
    b"---\ntitle: \"</script><script>alert(1)</script>\"\n---\n",
    b"---\nslug: ../escape\n---\n",
    b"---\nslug: /etc/passwd\n---\n",
    b"---\nservices: [lambda, nope]\ntags: [\"a\\tb\", \"<b>\"]\norder: -1\n---\n",
    b"---\ntitle: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n---\n",
    b"---\ncards: true\n---\n",
    b"---\n: : :\n---\n",
    b"---\n",
]


# What stops a build with an error (links to notes that are not there, malformed cards and
# clozes, bytes that are not UTF-8): left out of half the rounds, so that those reach the
# renderers.
FAILING = {b"](../lambda/overview.md#x)", b"](overview.md)", b"{{c1::", b"}}", b"::", b" :: ", b"==", b"\xff", b"\xc3",
           b"\xef\xbf\xbe", b"\x00", b"<!-- id: x -->", b"## "}
CLEAN_TOKENS = [token for token in TOKENS if token not in FAILING]
CLEAN_FRONT_MATTER = [FRONT_MATTER[0], FRONT_MATTER[3].replace(b"lambda, nope", b"lambda")]


def deep_notes(depth):
    """The nesting shapes of Tests/SyllabusCoreTests/DeepNestingTests.swift."""
    n = depth
    return {
        "quotes": b"> " * n + b"x\n",
        "bullets": b"- " * n + b"x\n",
        "ordered": b"1. " * n + b"x\n",
        "tasks": b"- [ ] " * n + b"x\n",
        "emphasis": b"*a " * n + b"x" + b" a*" * n + b"\n",
        "strong": b"**a " * n + b"x" + b" a**" * n + b"\n",
        "strike": b"~~a " * n + b"x" + b" a~~" * n + b"\n",
        "delimiters": b"*" * n + b"x" + b"*" * n + b"\n",
        "links": b"[" * n + b"x" + b"](https://example.org/)" * n + b"\n",
        "images": b"![" * n + b"x" + b"](a.png)" * n + b"\n",
        "link-emphasis": b"[*" * n + b"x" + b"*](https://example.org/)" * n + b"\n",
        "table-in-quotes": b"> " * n + b"| a | b |\n" + b"> " * n + b"| - | - |\n" + b"> " * n + b"| c | d |\n",
        "lists-in-quotes": b"- > " * n + b"x\n",
        "headings-in-quotes": b"> " * n + b"## x\n",
        "code-in-quotes": b"> " * n + b"```\n" + b"> " * n + b"code\n",
        "footnotes": b"A[^1].\n\n" + b"".join(b"[^%d]: " % i for i in range(1, n)) + b"x\n",
        "card": b"## Deep?\n\n" + b"> " * n + b"front :: back\n",
    }


def seeds(content):
    """The real notes. Their links to other notes point to the web instead: a round holds a
    few notes, and a dead link would stop most rounds before the renderers run."""
    found = []
    for folder, _, files in os.walk(content):
        for name in sorted(files):
            if name.endswith(".md"):
                with open(os.path.join(folder, name), "rb") as handle:
                    text = re.sub(rb"\]\((?![a-z]+:)[^)\s]*\.md(#[^)\s]*)?\)", b"](https://example.org/)", handle.read())
                found.append((os.path.relpath(os.path.join(folder, name), content), text))
    return sorted(found)


def mutate(data, rng, corpus, clean=False):
    data = bytearray(data)
    tokens = CLEAN_TOKENS if clean else TOKENS
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        at = rng.randint(0, len(data))
        if choice < 0.35:
            data[at:at] = rng.choice(tokens)
        elif choice < 0.45:
            # A token repeated: nesting, up to thousands deep.
            data[at:at] = rng.choice(tokens) * rng.choice([10, 100, 1000, 5000])
        elif choice < 0.6 and data:
            end = min(len(data), at + rng.randint(1, 200))
            del data[at:end]
        elif choice < 0.7 and data:
            start = rng.randint(0, len(data) - 1)
            data[at:at] = data[start:start + rng.randint(1, 400)]
        elif choice < 0.8:
            other = rng.choice(corpus)[1]
            start = rng.randint(0, max(0, len(other) - 1))
            data[at:at] = other[start:start + rng.randint(1, 800)]
        elif choice < 0.85 and data and not clean:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif not data.startswith(b"---"):
            data[0:0] = rng.choice(CLEAN_FRONT_MATTER if clean else FRONT_MATTER)
    return bytes(data)


def make_round(rng, corpus, services):
    """The notes of one round: (relative path, bytes)."""
    notes = []
    folders = ["lambda", "s3", "dynamodb", "general"]
    clean = rng.random() < 0.5
    if rng.random() < 0.2:
        shapes = deep_notes(rng.choice([1000, 10000, 50000, 100000]))
        name = rng.choice(sorted(shapes))
        data = shapes[name]
        if rng.random() < 0.5:
            data = mutate(data, rng, corpus, clean)
        notes.append(("lambda/deep-%s%s" % (name, ".cards.md" if name == "card" else ".md"), data))
    # Exam questions need exam.yml's domains: only the failing half gets them.
    seeds_now = [seed for seed in corpus if not seed[0].endswith(".exam.md")] if clean else corpus
    for index in range(rng.randint(1, 4)):
        path, data = rng.choice(seeds_now)
        folder = rng.choice(folders)
        name = os.path.basename(path)
        relative = name if folder == "general" else "%s/%s" % (folder, name)
        if any(relative == existing for existing, _ in notes):
            relative = relative.replace(".md", "-%d.md" % index)
        notes.append((relative, mutate(data, rng, corpus, clean)))
    return notes


def snapshot(*roots, skip=()):
    """Path -> (size, mtime, sha1) of every file and link under the roots, except `skip`."""
    state = {}
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
            state[folder] = "dir"
            for name in files:
                path = os.path.join(folder, name)
                if path in skip:
                    continue
                info = os.lstat(path)
                digest = ""
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as handle:
                        digest = hashlib.sha1(handle.read()).hexdigest()
                state[path] = (info.st_size, info.st_mtime_ns, digest, os.readlink(path) if os.path.islink(path) else "")
    return state


def timed(command, timeout, cwd=None):
    """Runs a command: (status or None when killed at `timeout`, stdout, stderr, CPU seconds).
    CPU time (user + system, all threads) rather than the clock: on a shared machine the
    clock time of one process varies tenfold with the load of the others."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)

    def cpu():
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        return result.returncode, result.stdout, result.stderr, cpu()
    except subprocess.TimeoutExpired as expired:
        return None, expired.stdout or b"", expired.stderr or b"", cpu()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--syllabus", default=os.path.join(ROOT, ".build/release/syllabus"))
    parser.add_argument("--cmark", default="", help="cmark-gfm measure: default cmark_time.c, built here with cc")
    parser.add_argument("--content", default=os.path.join(ROOT, "Content"), help="real notes to mutate")
    parser.add_argument("--templates", default=os.path.join(ROOT, "Templates"))
    parser.add_argument("--work", default=os.path.join(ROOT, "bench-work/fuzz"), help="findings and the copy of the templates")
    parser.add_argument("--arena", default="/dev/shm" if os.access("/dev/shm", os.W_OK) else "",
                        help="where rounds build (default: a folder in /dev/shm, a tmpfs; else under --work)")
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=0, help="stop after this many rounds (0: by time)")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()

    rng = random.Random(args.seed)
    corpus = seeds(args.content)
    with open(os.path.join(args.content, "services.yml"), "rb") as handle:
        services = handle.read()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(os.path.join(args.work, "findings"))
    # A copy of the templates: the check that they stay unchanged must not depend on the
    # working tree they came from.
    templates = os.path.join(args.work, "Templates")
    shutil.copytree(args.templates, templates)
    args.templates = templates
    # cmark-gfm as Syllabus runs it (footnotes on), which Debian's CLI cannot do.
    cmark = [args.cmark] if args.cmark else []
    if not cmark:
        helper = os.path.join(args.work, "cmark_time")
        built = subprocess.run(["cc", "-O2", os.path.join(ROOT, "Benchmarks/cmark_time.c"), "-o", helper,
                                "-lcmark-gfm", "-lcmark-gfm-extensions"], stderr=subprocess.PIPE)
        cmark = [helper] if built.returncode == 0 else ["cmark-gfm"] + CMARK_ARGS
        if built.returncode != 0:
            print("no C compiler for cmark_time.c: timing the cmark-gfm CLI (no footnotes)", flush=True)
    # The rounds build on a tmpfs where there is one: on ext4, creating a file within about
    # 30 s of deleting many makes the kernel skip each recently freed inode in turn, and
    # deleting every round's output charged the next build for it (15% of a small round's
    # CPU time was the kernel's recently_deleted()), a cost of this runner, not of Syllabus.
    scratch = os.path.join(args.arena, "syllabus-fuzz-%d" % os.getpid()) if args.arena else os.path.join(args.work, "scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    try:
        run_rounds(args, rng, corpus, services, cmark, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run_rounds(args, rng, corpus, services, cmark, scratch):
    arena = os.path.join(scratch, "arena")

    def build(box):
        return timed([args.syllabus, "build", "--content", "Content", "--output", "Output", "--templates", args.templates,
                      "--config", "syllabus.yml", "--quiet"], timeout=600, cwd=box)

    # Syllabus's fixed cost, which cmark-gfm does not have: start-up, templates, and the four
    # outputs' pages, decks and sheets for each note (a round has up to five), measured on
    # small notes with a card each.
    floor_boxes = {}
    floors = {}
    for count in range(1, 6):
        box = os.path.join(scratch, "floor-%d" % count)
        os.makedirs(os.path.join(box, "Content/lambda"))
        with open(os.path.join(box, "Content/services.yml"), "wb") as handle:
            handle.write(services)
        with open(os.path.join(box, "syllabus.yml"), "w") as handle:
            handle.write(CONFIG)
        for index in range(count):
            with open(os.path.join(box, "Content/lambda/n%d.md" % index), "w") as handle:
                handle.write("# Note %d\n\nText about AWS Lambda.\n\nQuestion %d :: Answer.\n" % (index, index))
        times = []
        for _ in range(3):
            shutil.rmtree(os.path.join(box, "Output"), ignore_errors=True)
            status, _, err, seconds = build(box)
            if status != 0:
                sys.exit("syllabus cannot build %d small notes: %s" % (count, err.decode(errors="replace")))
            times.append(seconds)
        floor_boxes[count], floors[count] = box, min(times)
    # What ordinary notes cost Syllabus per byte: the bundled Content/ as it is, all four
    # outputs, the fastest of three builds, less the fixed cost.
    real_box = os.path.join(scratch, "real")
    shutil.copytree(args.content, os.path.join(real_box, "Content"))
    with open(os.path.join(real_box, "syllabus.yml"), "w") as handle:
        handle.write(CONFIG)
    real_bytes = sum(len(data) for _, data in corpus)
    real_times = []
    for _ in range(3):
        shutil.rmtree(os.path.join(real_box, "Output"), ignore_errors=True)
        status, _, err, seconds = build(real_box)
        if status != 0:
            sys.exit("syllabus cannot build %s: %s" % (args.content, err.decode(errors="replace")))
        real_times.append(seconds)
    real_cmark = min(timed(cmark + [os.path.join(args.content, r) for r, _ in corpus], timeout=600)[3] for _ in range(3))
    per_byte = max(0.0, min(real_times) - floors[1]) / real_bytes
    shutil.rmtree(real_box)
    print("seed %d, %d real notes (%d bytes: Syllabus %.3f s, cmark-gfm %.3f s of CPU), fixed cost %s" % (
        args.seed, len(corpus), real_bytes, min(real_times), real_cmark, ", ".join(
            "%d note%s %.3f s" % (count, "s" if count > 1 else "", floors[count]) for count in sorted(floors))), flush=True)

    def allowed(cmark_seconds, size, floor):
        """The CPU time a round may take: see the module's documentation."""
        return floor + 10 * max(cmark_seconds, per_byte * size) + RESOLUTION

    templates_before = snapshot(args.templates)
    started = time.monotonic()
    deadline = started + args.minutes * 60
    rounds = findings = 0
    worst = (0.0, None)
    statuses = {}
    while (args.rounds and rounds < args.rounds) or (not args.rounds and time.monotonic() < deadline):
        rounds += 1
        shutil.rmtree(arena, ignore_errors=True)
        box = os.path.join(arena, "box")
        os.makedirs(os.path.join(box, "Content"))
        notes = make_round(rng, corpus, services)
        with open(os.path.join(box, "Content/services.yml"), "wb") as handle:
            handle.write(services)
        with open(os.path.join(box, "syllabus.yml"), "w") as handle:
            handle.write(CONFIG)
        for relative, data in notes:
            path = os.path.join(box, "Content", relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        # cmark-gfm on the same notes, one process over all of them, as in run.py.
        _, _, _, cmark_seconds = timed(cmark + [os.path.join(box, "Content", r) for r, _ in notes], timeout=600)
        floor_box = floor_boxes[min(5, len(notes))]
        floor = floors[min(5, len(notes))]
        size = sum(len(data) for _, data in notes)
        # CPU times are counted in clock ticks: 10 ms more covers a tick either side.
        limit = allowed(cmark_seconds, size, floor)
        outside_before = snapshot(arena, skip={os.path.join(box, "Output")})
        status, out, err, seconds = build(box)
        problems = []
        if status is None:
            problems.append("hang: killed after 600 s")
        elif status < 0 or status not in (0, 1):
            problems.append("crash: exit status %d" % status)
        elif status == 1 and b"error" not in err:
            problems.append("failed without a diagnostic")
        if status is not None and seconds > limit:
            # The machine may just have been busy: time both tools and the fixed cost again, a
            # few times each, and judge the fastest of each.
            again, cmark_again, floor_again = [seconds], [cmark_seconds], [floor]
            for _ in range(3):
                shutil.rmtree(os.path.join(box, "Output"), ignore_errors=True)
                again.append(build(box)[3])
                cmark_again.append(timed(cmark + [os.path.join(box, "Content", r) for r, _ in notes], timeout=600)[3])
                shutil.rmtree(os.path.join(floor_box, "Output"), ignore_errors=True)
                floor_again.append(build(floor_box)[3])
            seconds, cmark_seconds, round_floor = min(again), min(cmark_again), min(floor_again)
            limit = allowed(cmark_seconds, size, round_floor)
            if seconds > limit:
                problems.append("slow: %.2f s, limit %.2f s (%d bytes; cmark-gfm %.3f s, as many bundled bytes %.3f s, "
                                "fixed cost %.3f s; fastest of 4)"
                                % (seconds, limit, size, cmark_seconds, per_byte * size, round_floor))
        if snapshot(arena, skip={os.path.join(box, "Output")}) != outside_before or snapshot(args.templates) != templates_before:
            problems.append("escape: something outside the output folder changed")
        statuses[status] = statuses.get(status, 0) + 1
        # How close the round came to the limit: its time over the fixed cost, in units of
        # what the limit allows ten of.
        ratio = (seconds - floor) / max(cmark_seconds, per_byte * size, 1e-6)
        if ratio > worst[0]:
            worst = (ratio, [r for r, _ in notes])
        if problems:
            findings += 1
            kept = os.path.join(args.work, "findings", str(findings))
            shutil.copytree(os.path.join(box, "Content"), os.path.join(kept, "Content"))
            with open(os.path.join(kept, "finding.json"), "w") as handle:
                json.dump({"problems": problems, "seconds": seconds, "cmark_seconds": cmark_seconds, "floor": floor,
                           "stderr": err.decode(errors="replace")[-4000:]}, handle, indent=1)
            print("round %d: %s (kept in %s)" % (rounds, "; ".join(problems), kept), flush=True)
        if rounds % 100 == 0:
            print("%d rounds, %d findings, exit statuses %s" % (rounds, findings, statuses), flush=True)
    print("done: %d rounds in %.1f min, %d findings, exit statuses %s, worst (time - fixed cost) / max(cmark-gfm, bundled "
          "bytes) %.1fx (the limit is 10x) on %s"
          % (rounds, (time.monotonic() - started) / 60, findings, statuses, worst[0], worst[1]), flush=True)
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
