#!/usr/bin/env python3
"""Makes Anki packages with the real Anki library, for the tests of Syllabus's package reader.

Used by Tests/SyllabusCoreTests/AnkiPackageReaderTests.swift. Reads a JSON spec, builds a
brand-new collection from it and exports it in every package format Anki writes:

    anki_package_fixture.py SPEC.json OUT_FOLDER

Spec:
    {"media": {"name.png": "<base64 bytes>", ...},
     "notes": [{"notetype": "Basic" | "Cloze" | any stock name, "deck": "A::B",
                "fields": ["<b>front</b>", ...], "tags": ["t1", ...], "guid": "..."}, ...],
     "filtered": "GUID"}   # optional: that note's cards are moved into a filtered deck

Writes OUT_FOLDER/legacy.apkg (`legacy=True`: collection.anki21 and a JSON media map),
OUT_FOLDER/latest.apkg (the current format: zstd, schema 18, protobuf media list),
OUT_FOLDER/collection.colpkg and OUT_FOLDER/legacy.colpkg (whole-collection backups in the
current and the legacy format), and prints
{"anki_version": ..., "files": [...]} as JSON on stdout.
Exit status 2 when the anki library is missing.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import sys
import tempfile

try:
    from anki.buildinfo import version as ANKI_VERSION
    from anki.collection import Collection, ExportAnkiPackageOptions
except ImportError as exc:
    print(f"cannot import the anki library: {exc}", file=sys.stderr)
    sys.exit(2)


def build(col: Collection, spec: dict) -> None:
    for name, encoded in spec.get("media", {}).items():
        stored = col.media.write_data(name, base64.b64decode(encoded))
        if stored != name:
            sys.exit(f"Anki renamed media file {name!r} to {stored!r}")
    for item in spec["notes"]:
        notetype = col.models.by_name(item["notetype"])
        if notetype is None:
            sys.exit(f"no stock note type {item['notetype']!r}")
        note = col.new_note(notetype)
        for index, value in enumerate(item["fields"]):
            note.fields[index] = value
        note.tags = list(item.get("tags", []))
        col.add_note(note, col.decks.id(item["deck"]))
        if "guid" in item:
            note.guid = item["guid"]
            col.update_note(note)
    if "filtered" in spec:
        guid = spec["filtered"]
        nid = next(nid for nid in col.find_notes("") if col.get_note(nid).guid == guid)
        did = col.decks.new_filtered("Filtered Deck 1")
        deck = col.decks.get(did)
        deck["terms"][0][0] = f"nid:{nid}"
        col.decks.save(deck)
        col.sched.rebuild_filtered_deck(did)


def main() -> int:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    out = os.path.abspath(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    temporary = tempfile.mkdtemp(prefix="anki_package_fixture_")
    col = Collection(os.path.join(temporary, "collection.anki2"))
    files = []
    try:
        build(col, spec)
        for name, legacy in (("legacy.apkg", True), ("latest.apkg", False)):
            path = os.path.join(out, name)
            options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy)
            col.export_anki_package(out_path=path, options=options, limit=None)
            files.append(path)
        # Exporting a collection package closes the collection: it is opened again for the second.
        for name, legacy in (("collection.colpkg", False), ("legacy.colpkg", True)):
            path = os.path.join(out, name)
            col.export_collection_package(path, include_media=True, legacy=legacy)
            col.reopen()
            files.append(path)
    finally:
        col.close()
        shutil.rmtree(temporary, ignore_errors=True)
    json.dump({"anki_version": ANKI_VERSION, "files": files}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
