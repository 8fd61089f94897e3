#!/usr/bin/env python3
"""Builds a folder of Markdown written by others (a published developer guide laid out as one
service folder) and reports what a new user would meet: exit status, errors, warnings by kind,
cards found, EPUBCheck errors, broken links of the generated site and the size of its term
index (entries, entries over 45 characters, link texts that name two pages).

    python3 Benchmarks/real-docs.py DIR [--syllabus PATH] [--templates PATH]

DIR holds `Content/` (with `services.yml`) and `syllabus.yml`; the output goes to `DIR/Output`.
The syllabus binary is `--syllabus`, else `$SYLLABUS`, else the release build, else the debug
build of this checkout. The exit status is 0 when the build succeeded with no error, EPUBCheck
found no error and every internal link and anchor of the site resolves.
"""

import argparse
import collections
import glob
import html.parser
import os
import re
import subprocess
import sys
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EPUBCHECK = "/usr/share/java/epubcheck.jar"


def find_syllabus(explicit):
    candidates = [explicit, os.environ.get("SYLLABUS"),
                  os.path.join(REPO, ".build/release/syllabus"), os.path.join(REPO, ".build/debug/syllabus")]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path
    sys.exit("no syllabus binary: run `swift build -c release` or pass --syllabus")


def kind(message):
    """A diagnostic's message with its particulars (quoted names, numbers) left out."""
    message = re.sub(r"'[^']*'", "'…'", message)
    message = re.sub(r"\b[\w./-]+\.md\b", "NOTE", message)
    return re.sub(r"\d+", "N", message)


def build(syllabus, folder, templates):
    command = [syllabus, "build", "--content", os.path.join(folder, "Content"), "--config", os.path.join(folder, "syllabus.yml"),
               "--output", os.path.join(folder, "Output"), "--templates", templates]
    result = subprocess.run(command, capture_output=True, text=True)
    diagnostics = [line for line in result.stderr.splitlines() if re.match(r".+:\d+:\d+: (error|warning): ", line)]
    counts = {"error": collections.Counter(), "warning": collections.Counter()}
    for line in diagnostics:
        severity, message = re.match(r".+?:\d+:\d+: (error|warning): (.*)", line).groups()
        counts[severity][kind(message)] += 1
    summary = re.search(r"Built (\d+) notes?, (\d+) services?, (\d+) cards?", result.stdout)
    return result.returncode, counts, summary, result


def epubcheck(folder):
    books = glob.glob(os.path.join(folder, "Output/ebook/*.epub"))
    if not books:
        return None, collections.Counter()
    if not os.path.exists(EPUBCHECK):
        return "epubcheck not installed", collections.Counter()
    # EPUBCheck 4.2.6 overflows Java's default thread stack on books of 2,000+ files and
    # still reports "0 errors": a larger stack, and an overflow counted as a failure.
    result = subprocess.run(["java", "-Xss64m", "-jar", EPUBCHECK, books[0]], capture_output=True, text=True)
    output = result.stdout + result.stderr
    codes = collections.Counter(re.findall(r"^(?:ERROR|FATAL)\((\w+-\d+)\)", output, re.M))
    if "StackOverflowError" in output:
        codes["StackOverflowError"] += 1
    return books[0], codes


class Page(html.parser.HTMLParser):
    """The ids of an HTML page and the local links it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is not None and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value):
                self.links.append(value)


def broken_site_links(folder):
    """Every relative link and anchor of the site checked against the files and their ids."""
    site = os.path.join(folder, "Output/site")
    pages = {}

    def parsed(path):
        if path not in pages:
            page = Page()
            with open(path, encoding="utf-8") as handle:
                page.feed(handle.read())
            pages[path] = page
        return pages[path]

    broken = []
    checked = 0
    for path in glob.glob(os.path.join(site, "**/*.html"), recursive=True):
        for link in parsed(path).links:
            checked += 1
            target, _, fragment = link.partition("#")
            target_path = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(target))) if target else path
            if not os.path.exists(target_path):
                broken.append((os.path.relpath(path, site), link, "no such file"))
            elif fragment and target_path.endswith(".html"):
                ids = parsed(target_path).ids
                if fragment not in ids and urllib.parse.unquote(fragment) not in ids and fragment.lower() != "top":
                    broken.append((os.path.relpath(path, site), link, "no such id"))
    return checked, broken


class TermIndex(html.parser.HTMLParser):
    """The entries of the site's term index and the text of each link to a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.terms = []
        self.links = collections.defaultdict(set)
        self.field = None
        self.href = ""
        self.link = ""

    def handle_starttag(self, tag, attrs):
        if tag == "dt":
            self.terms.append("")
            self.field = "term"
        elif tag == "a" and self.field == "places":
            self.href = dict(attrs).get("href") or ""
            self.field = "link"
            self.link = ""
        elif tag == "dd":
            self.field = "places"

    def handle_endtag(self, tag):
        if tag in ("dt", "dd"):
            self.field = None
        elif tag == "a" and self.field == "link":
            # A "see" link goes to another entry on the page, not to a page.
            if not self.href.startswith("#"):
                self.links[self.link].add(self.href.partition("#")[0])
            self.field = "places"

    def handle_data(self, data):
        if self.field == "term":
            self.terms[-1] += data
        elif self.field == "link":
            self.link += data


def term_index(folder):
    """The site's term index: its entries, those over 45 characters, and the link texts that
    name two pages or more (which a reader cannot tell apart)."""
    index = TermIndex()
    with open(os.path.join(folder, "Output/site/terms/index.html"), encoding="utf-8") as handle:
        index.feed(handle.read())
    shared = sorted(text for text, pages in index.links.items() if len(pages) > 1)
    return index.terms, [term for term in index.terms if len(term) > 45], shared


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--syllabus")
    parser.add_argument("--templates", default=os.path.join(REPO, "Templates"))
    arguments = parser.parse_args()
    folder = os.path.abspath(arguments.folder)
    notes = len(glob.glob(os.path.join(folder, "Content/**/*.md"), recursive=True))

    status, counts, summary, result = build(find_syllabus(arguments.syllabus), folder, arguments.templates)
    print(f"{os.path.basename(folder)}: {notes} Markdown files")
    print(f"  build exit status {status}; {sum(counts['error'].values())} errors, {sum(counts['warning'].values())} warnings")
    for severity in ("error", "warning"):
        for message, count in counts[severity].most_common():
            print(f"    {count:5} {severity}: {message}")
    if summary:
        print(f"  {summary.group(1)} notes, {summary.group(3)} cards")
    elif status != 0:
        print("  " + "\n  ".join(result.stderr.splitlines()[-3:]))
    failed = status != 0 or counts["error"]
    if status == 0:
        book, codes = epubcheck(folder)
        if isinstance(book, str) and not book.endswith(".epub"):
            print(f"  EPUBCheck: {book}")
        elif book:
            print(f"  EPUBCheck: {sum(codes.values())} errors" + "".join(f", {code} ×{count}" for code, count in codes.most_common()))
            failed = failed or bool(codes)
        if os.path.isdir(os.path.join(folder, "Output/site")):
            checked, broken = broken_site_links(folder)
            print(f"  site: {checked} local links and anchors, {len(broken)} broken")
            for page, link, why in broken[:10]:
                print(f"    {page}: {link} ({why})")
            failed = failed or bool(broken)
            terms, long, shared = term_index(folder)
            print(f"  term index: {len(terms)} entries, {len(long)} over 45 characters, "
                  f"{len(shared)} link texts naming two pages or more" + "".join(f"\n    {text}" for text in shared[:10]))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
