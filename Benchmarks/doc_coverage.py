#!/usr/bin/env python3
"""Doc-comment coverage of the public API in Sources/ (issue 11: at least 90 %).

How it counts: one declaration is one line whose modifiers (after any attributes such as
`@discardableResult` or `@inlinable`) include `public` or `open` and are followed by one of
func, var, let, init, deinit, subscript, struct, class, actor, enum, case, protocol,
typealias, associatedtype, macro or operator. `public extension` lines are not counted
(an extension is not a symbol of its own), nor are members that are public only implicitly
(enum cases without the keyword, protocol requirements): they are documented with their
type. It is documented when the nearest non-attribute line above it ends a `///` comment
or a `/** ... */` block (no blank line between). Lines inside block comments and string
literals spanning lines are not special-cased; Sources/ has none that look like
declarations.

    python3 Benchmarks/doc_coverage.py            # per-folder figures and the total
    python3 Benchmarks/doc_coverage.py --missing  # also every undocumented declaration
"""
import os
import re
import sys
from collections import defaultdict

KINDS = ("func", "var", "let", "init", "deinit", "subscript", "struct", "class", "actor",
         "enum", "case", "protocol", "typealias", "associatedtype", "macro", "operator")
MODIFIERS = {"public", "open", "private", "fileprivate", "internal", "package", "static",
             "final", "override", "required", "convenience", "mutating", "nonmutating",
             "lazy", "weak", "unowned", "indirect", "nonisolated", "dynamic", "optional",
             "prefix", "postfix", "infix", "consuming", "borrowing", "isolated"}
ATTRIBUTE = re.compile(r"@\w+(\([^()]*\))?\s*")
TOKEN = re.compile(r"(\w+)(\(set\))?\s*")


def declaration(line):
    """Returns the declaration kind if `line` declares something public or open, else None."""
    rest = line.strip()
    while rest.startswith("@"):
        m = ATTRIBUTE.match(rest)
        if not m:
            return None
        rest = rest[m.end():]
    seen = set()
    while True:
        m = TOKEN.match(rest)
        if not m:
            return None
        word = m.group(1)
        if word in MODIFIERS:
            seen.add(word)
            rest = rest[m.end():]
            continue
        if word in KINDS and seen & {"public", "open"}:
            return word
        return None


def documented(lines, index):
    j = index - 1
    while j >= 0 and lines[j].strip().startswith("@"):
        j -= 1
    if j < 0:
        return False
    above = lines[j].strip()
    if above.startswith("///"):
        return True
    if above.endswith("*/"):
        while j >= 0 and "/*" not in lines[j]:
            j -= 1
        return j >= 0 and "/**" in lines[j]
    return False


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    sources = os.path.join(root, "Sources")
    show_missing = "--missing" in sys.argv
    per_folder = defaultdict(lambda: [0, 0])
    missing = []
    for folder, _, files in os.walk(sources):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            rel_folder = os.path.relpath(folder, sources)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            for i, line in enumerate(lines):
                kind = declaration(line)
                if kind is None:
                    continue
                counts = per_folder[rel_folder]
                counts[1] += 1
                if documented(lines, i):
                    counts[0] += 1
                else:
                    missing.append(f"{os.path.relpath(path, root)}:{i + 1}: {line.strip()}")
    total_doc = sum(c[0] for c in per_folder.values())
    total = sum(c[1] for c in per_folder.values())
    width = max(len(k) for k in per_folder) if per_folder else 10
    for folder in sorted(per_folder):
        doc, count = per_folder[folder]
        print(f"{folder:<{width}}  {doc:4d} / {count:4d}  {100.0 * doc / count:5.1f} %")
    print(f"{'total':<{width}}  {total_doc:4d} / {total:4d}  "
          f"{100.0 * total_doc / max(total, 1):5.1f} %")
    if show_missing:
        print()
        print("\n".join(missing))


if __name__ == "__main__":
    main()
