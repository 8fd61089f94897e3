#!/usr/bin/env python3
"""Makes a learner's Anki collection with the real Anki library, reviews it, and exports it.

Used by Tests/SyllabusCoreTests/ImportRoundTripTests.swift to test `syllabus import` against
what Anki itself writes.

    anki_make_collection.py SPEC.json COLLECTION EXPORT.txt [--german]

SPEC.json is a list of notes: {"guid", "notetype": "Basic"|"Cloze", "deck", "fields": [...],
"tags": [...]}. The collection is created (with --german, the stock note types carry their
German names), the notes are added with exactly those GUIDs, every card is answered once
("Good"), and the notes are exported as Anki's "Notes in Plain Text" (HTML, with GUID, note
type, deck and tags columns) to EXPORT.txt. Prints the collection as anki_roundtrip.py
summarizes it (JSON).
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys

try:
    from anki.collection import Collection
except ImportError as exc:
    print(f"cannot import the anki library: {exc}", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("anki_roundtrip", os.path.join(HERE, "anki_roundtrip.py"))
roundtrip = importlib.util.module_from_spec(spec)
spec.loader.exec_module(roundtrip)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    german = "--german" in sys.argv
    if len(args) != 3:
        sys.exit(__doc__)
    spec_path, path, export = args
    with open(spec_path, encoding="utf-8") as handle:
        notes = json.load(handle)
    col = Collection(os.path.abspath(path))
    try:
        names = {}
        for notetype in col.models.all():
            if german and notetype["name"] in roundtrip.GERMAN_NOTETYPES:
                names[notetype["name"]] = roundtrip.GERMAN_NOTETYPES[notetype["name"]]
                notetype["name"] = names[notetype["name"]]
                col.models.update_dict(notetype)
        for item in notes:
            notetype = col.models.by_name(names.get(item["notetype"], item["notetype"]))
            note = col.new_note(notetype)
            for index, value in enumerate(item["fields"]):
                note.fields[index] = value
            note.tags = item.get("tags", [])
            note.guid = item["guid"]
            col.add_note(note, col.decks.id(item.get("deck", "Default")))
        reviewed = roundtrip.review_all(col)
        col.export_note_csv(out_path=os.path.abspath(export), limit=None, with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)
        summary = roundtrip.summarize(col)
        summary["reviewed"] = reviewed
        summary["found_by_search"] = []
        summary["notetypes"] = sorted(notetype["name"] for notetype in col.models.all())
    finally:
        col.close()
    json.dump({"collection": summary}, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
