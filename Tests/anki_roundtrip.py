#!/usr/bin/env python3
"""Imports Syllabus's Anki decks (TSV or .apkg) with the real Anki library and prints a JSON summary.

Used by Tests/SyllabusCoreTests/AnkiRoundTripTests.swift. Every .tsv file of each PATH
(a file or a folder) is imported, in sorted order, through Anki's own CSV import
(`col.get_csv_metadata` reads the file's `#` header lines, `col.import_csv` imports), the
path the desktop app takes since 2.1.55.

    anki_roundtrip.py PATH [PATH ...]                       # brand-new collection, then deleted
    anki_roundtrip.py PATH [PATH ...] --collection FILE     # import into FILE (created if missing)

A folder stands for its .tsv files; an .apkg file is imported as a package (Anki's package
import, `col.import_anki_package`) with the import dialog's default options unless
--merge-notetypes or --update-notes say otherwise. --german gives a new collection the German
names of the stock note types. Before importing, --change-to-basic NOTETYPE changes every note of
that note type to Basic (first two fields kept, cards of its other templates removed), as a
learner does in the browser (Notes, Change Note Type). After importing, --review answers every due card once
("Good"), --move GUID DECK moves a note's cards to another deck, --search QUERY reports
the GUIDs of the notes a browser search finds and --media-check runs Anki's Check Media
(`col.media.check()`) and reports the files it finds missing or unused; --export-text FILE
and --export-package FILE then export every note as a learner would (Notes in Plain Text
with HTML, GUID, note type, deck and tags; an .apkg with scheduling and media). Each note's cards'
schedules and the number of review log entries are reported.

Output (one JSON object on stdout):
    import:      what this import did: added, updated, duplicates (identical notes already
                 there), rows (data rows in the files, read with RFC 4180 quoting), found
                 (rows Anki read), rejected (rows Anki skipped or could not place)
    files:       the same per file, with the metadata Anki read from the header lines
    collection:  the collection afterwards: notes, cards, notes_per_deck, notes_per_notetype,
                 cloze_notes, tags, and notes (guid -> id, notetype, deck, tags, fields, mod)
Exit status 2 when the anki library is missing, 1 when a file cannot be imported.
"""
from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import os
import shutil
import sys
import tempfile

try:
    from anki.buildinfo import version as ANKI_VERSION
    from anki.collection import Collection, CsvMetadata, ExportAnkiPackageOptions, ImportAnkiPackageOptions, ImportAnkiPackageRequest, ImportCsvRequest
    from anki.consts import MODEL_CLOZE
    from anki.scheduler.v3 import CardAnswer
except ImportError as exc:
    print(f"cannot import the anki library: {exc}", file=sys.stderr)
    sys.exit(2)

# Log lists of an import in which Anki reports rows it did not turn into a note.
REJECTING_LOGS = ("missing_notetype", "missing_deck", "empty_first_field", "conflicting")


def tsv_files(paths: list[str]) -> list[str]:
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += [os.path.join(path, name) for name in os.listdir(path) if name.endswith(".tsv")]
        elif os.path.isfile(path):
            files.append(path)
        else:
            sys.exit(f"no such file or folder: {path}")
    return sorted(os.path.abspath(f) for f in files)


def count_rows(path: str) -> int:
    """Data rows as the exporter meant them: header lines skipped, RFC 4180 quotes honoured.

    Anki treats any unquoted line starting with '#' as a comment; such a row is counted here
    and not by Anki, so it shows up as rejected.
    """
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    lines = text.split("\n")
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter="\t", quotechar='"')
    return sum(1 for row in reader if any(field.strip() for field in row))


def import_file(col: Collection, path: str) -> dict:
    metadata = col.get_csv_metadata(path=path, delimiter=None)
    log = col.import_csv(ImportCsvRequest(path=path, metadata=metadata)).log
    rows = count_rows(path)
    problems = {key: len(getattr(log, key)) for key in REJECTING_LOGS}
    return {
        "file": os.path.basename(path),
        "metadata": {
            "delimiter": CsvMetadata.Delimiter.Name(metadata.delimiter),
            "is_html": metadata.is_html,
            "columns": list(metadata.column_labels),
            "guid_column": metadata.guid_column,
            "notetype_column": metadata.notetype_column,
            "deck_column": metadata.deck_column,
            "tags_column": metadata.tags_column,
        },
        "added": len(log.new),
        "updated": len(log.updated),
        "duplicates": len(log.duplicate),
        "rows": rows,
        "found": log.found_notes,
        "rejected": max(rows - log.found_notes, 0) + sum(problems.values()),
        "problems": problems,
    }


def import_package(col: Collection, path: str, options: ImportAnkiPackageOptions) -> dict:
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=path, options=options)).log
    return {
        "file": os.path.basename(path),
        "metadata": None,
        "added": len(log.new),
        "updated": len(log.updated),
        "duplicates": len(log.duplicate),
        "conflicting": len(log.conflicting),
        "rows": log.found_notes,
        "found": log.found_notes,
        "rejected": len(log.conflicting) + len(log.missing_notetype) + len(log.missing_deck),
    }


GERMAN_NOTETYPES = {"Basic": "Einfach", "Cloze": "Lückentext", "Basic (and reversed card)": "Einfach (mit umgekehrter Karte)"}


def review_all(col: Collection) -> int:
    """Answers every card once with "Good", whatever its deck; returns how many were answered."""
    answered = 0
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        card.start_timer()
        states = col._backend.get_scheduling_states(cid)
        col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD))
        answered += 1
    return answered


def move_note(col: Collection, guid: str, deck: str) -> None:
    nids = [nid for nid in col.find_notes("") if col.get_note(nid).guid == guid]
    if not nids:
        sys.exit(f"no note with GUID {guid}")
    did = col.decks.id(deck)
    col.set_deck(col.card_ids_of_note(nids[0]), did)


def summarize(col: Collection) -> dict:
    per_deck: collections.Counter = collections.Counter()
    per_notetype: collections.Counter = collections.Counter()
    cloze = 0
    notes = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        notetype = note.note_type()
        per_notetype[notetype["name"]] += 1
        if notetype["type"] == MODEL_CLOZE:
            cloze += 1
        decks = sorted({col.decks.name(card.did) for card in note.cards()})
        for deck in decks:
            per_deck[deck] += 1
        notes[note.guid] = {
            "id": note.id,
            "notetype": notetype["name"],
            "decks": decks,
            "cards": len(note.cards()),
            "tags": list(note.tags),
            "fields": list(note.fields),
            "mod": note.mod,
            "schedule": [{"ord": card.ord, "deck": col.decks.name(card.did), "type": card.type, "queue": card.queue,
                          "due": card.due, "ivl": card.ivl, "factor": card.factor, "reps": card.reps, "lapses": card.lapses}
                         for card in sorted(note.cards(), key=lambda card: card.ord)],
        }
    return {
        "notes": col.note_count(),
        "cards": col.card_count(),
        "notes_per_deck": dict(sorted(per_deck.items())),
        "notes_per_notetype": dict(sorted(per_notetype.items())),
        "cloze_notes": cloze,
        "tags": sorted(col.tags.all()),
        "revlog": col.db.scalar("select count() from revlog"),
        "media": {name: os.path.getsize(os.path.join(col.media.dir(), name)) for name in sorted(os.listdir(col.media.dir()))},
        "notes_by_guid": notes,
    }


def change_to_basic(col, name: str) -> None:
    """Changes every note of note type `name` to Basic with Anki's defaults: fields and
    templates matched by position, the ones Basic lacks dropped."""
    old = col.models.by_name(name)
    basic = col.models.by_name("Basic")
    request = col.models.change_notetype_info(old_notetype_id=old["id"], new_notetype_id=basic["id"]).input
    request.note_ids.extend(col.models.nids(old["id"]))
    col.models.change_notetype_of_notes(request)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="TSV or .apkg files, or folders of TSV files")
    parser.add_argument("--collection", metavar="FILE",
                        help="import into this collection (created if missing) and keep it")
    parser.add_argument("--merge-notetypes", action="store_true", help="the package import's 'Merge note types'")
    parser.add_argument("--update-notes", choices=["if-newer", "always", "never"], default="if-newer")
    parser.add_argument("--german", action="store_true", help="a new collection's stock note types get German names")
    parser.add_argument("--change-to-basic", metavar="NOTETYPE", action="append", default=[],
                        help="before importing, change every note of NOTETYPE to Basic")
    parser.add_argument("--review", action="store_true", help="after importing, answer every due card once")
    parser.add_argument("--render", action="store_true",
                        help="report each note's cards as Anki shows them: question and answer HTML, by card ordinal")
    parser.add_argument("--search", metavar="QUERY", help="after importing, report the GUIDs of the notes this browser search finds")
    parser.add_argument("--media-check", action="store_true",
                        help="after importing, report what Anki's Check Media finds missing and unused")
    parser.add_argument("--export-text", metavar="FILE",
                        help="after importing, export every note as Notes in Plain Text (HTML, GUID, note type, deck, tags)")
    parser.add_argument("--export-package", metavar="FILE", help="after importing, export every note as an .apkg (with scheduling and media)")
    parser.add_argument("--move", nargs=2, metavar=("GUID", "DECK"), action="append", default=[],
                        help="after importing, move the note's cards to DECK")
    args = parser.parse_args()
    conditions = {"if-newer": 0, "always": 1, "never": 2}
    options = ImportAnkiPackageOptions(merge_notetypes=args.merge_notetypes, update_notes=conditions[args.update_notes])
    files = tsv_files(args.paths)
    if not files:
        parser.error("no file to import")

    temporary = None
    if args.collection:
        path = os.path.abspath(args.collection)
        os.makedirs(os.path.dirname(path), exist_ok=True)
    else:
        temporary = tempfile.mkdtemp(prefix="anki_roundtrip_")
        path = os.path.join(temporary, "collection.anki2")
    existed = os.path.exists(path)
    col = Collection(path)
    try:
        if args.german and not existed:
            for notetype in col.models.all():
                if notetype["name"] in GERMAN_NOTETYPES:
                    notetype["name"] = GERMAN_NOTETYPES[notetype["name"]]
                    col.models.update_dict(notetype)
        for name in args.change_to_basic:
            change_to_basic(col, name)
        notes_before = col.note_count()
        results = []
        for file in files:
            try:
                if file.endswith(".apkg"):
                    results.append(import_package(col, file, options))
                else:
                    results.append(import_file(col, file))
            except Exception as exc:  # the backend raises on a file it cannot read
                print(f"{file}: {type(exc).__name__}: {exc}", file=sys.stderr)
                return 1
        reviewed = review_all(col) if args.review else 0
        for guid, deck in args.move:
            move_note(col, guid, deck)
        if args.export_text:
            col.export_note_csv(out_path=os.path.abspath(args.export_text), limit=None, with_html=True, with_tags=True,
                                with_deck=True, with_notetype=True, with_guid=True)
        if args.export_package:
            col.export_anki_package(out_path=os.path.abspath(args.export_package), limit=None,
                                    options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=True, legacy=False))
        summary = summarize(col)
        if args.render:
            for nid in col.find_notes(""):
                note = col.get_note(nid)
                summary["notes_by_guid"][note.guid]["rendered"] = [
                    {"question": card.question(), "answer": card.answer()} for card in sorted(note.cards(), key=lambda card: card.ord)]
        summary["reviewed"] = reviewed
        summary["found_by_search"] = sorted(col.get_note(nid).guid for nid in col.find_notes(args.search)) if args.search else []
        summary["notetypes"] = sorted(notetype["name"] for notetype in col.models.all())
        if args.media_check:
            checked = col.media.check()
            summary["media_check"] = {"missing": sorted(checked.missing), "unused": sorted(checked.unused)}
    finally:
        col.close()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)

    totals = {key: sum(r[key] for r in results) for key in ("added", "updated", "duplicates", "rows", "found", "rejected")}
    totals["conflicting"] = sum(r.get("conflicting", 0) for r in results)
    totals["new_collection"] = not existed
    totals["notes_before"] = notes_before
    totals["notes_after"] = summary["notes"]
    report = {"anki_version": ANKI_VERSION, "import": totals, "files": results, "collection": summary}
    json.dump(report, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
