#!/usr/bin/env python3
"""Makes a learner's Anki collection with the real Anki library, reviews it, and exports it.

Used by Tests/SyllabusCoreTests/ImportRoundTripTests.swift to test `syllabus import` against
what Anki itself writes.

    anki_make_collection.py SPEC.json COLLECTION EXPORT.txt [--german] [--package OUT.apkg]

SPEC.json is a list of notes: {"guid", "notetype": "Basic"|"Cloze", "deck", "fields": [...],
"tags": [...]}, or {"notes": [...], "media": {"name.png": "<base64>"}} to add media files too. The collection is created (with --german, the stock note types carry their
German names and the default deck is "Standard", as a German profile names them), the notes are added with exactly those GUIDs, every card is answered once
("Good"), and the notes are exported as Anki's "Notes in Plain Text" (HTML, with GUID, note
type, deck and tags columns) to EXPORT.txt, and with --package as an Anki package (the
current layout, with media and scheduling) to OUT.apkg. Prints the collection as anki_roundtrip.py
summarizes it (JSON).
"""
from __future__ import annotations

import base64
import importlib.util
import json
import os
import sys

try:
    from anki.collection import Collection, ExportAnkiPackageOptions
except ImportError as exc:
    print(f"cannot import the anki library: {exc}", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("anki_roundtrip", os.path.join(HERE, "anki_roundtrip.py"))
roundtrip = importlib.util.module_from_spec(spec)
spec.loader.exec_module(roundtrip)


def main() -> int:
    argv = sys.argv[1:]
    package = None
    if "--package" in argv:
        at = argv.index("--package")
        package = argv[at + 1]
        del argv[at:at + 2]
    args = [a for a in argv if not a.startswith("--")]
    german = "--german" in argv
    if len(args) != 3:
        sys.exit(__doc__)
    spec_path, path, export = args
    with open(spec_path, encoding="utf-8") as handle:
        notes = json.load(handle)
    media = {}
    if isinstance(notes, dict):
        media = notes.get("media", {})
        notes = notes["notes"]
    col = Collection(os.path.abspath(path))
    try:
        names = {}
        for notetype in col.models.all():
            if german and notetype["name"] in roundtrip.GERMAN_NOTETYPES:
                names[notetype["name"]] = roundtrip.GERMAN_NOTETYPES[notetype["name"]]
                notetype["name"] = names[notetype["name"]]
                col.models.update_dict(notetype)
        if german:
            default = col.decks.get(1)
            default["name"] = "Standard"
            col.decks.save(default)
        for name, data in media.items():
            col.media.write_data(name, base64.b64decode(data))
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
        if package:
            col.export_anki_package(out_path=os.path.abspath(package), limit=None,
                                    options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False))
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
