"""Reviews of extracted rows: a reviewer marks a row correct or wrong, corrects its fields, or adds a row the
extractors missed. Reviews live in OUT/reviews.sqlite, keyed by (doc_id, table, row key): doc_id is the
content hash and the row key is the row's place in the normalized text, so a review survives a re-run of
the same file. `kehoach export --reviewed` applies them; `kehoach eval --reviews` writes them as gold JSON
(SPEC.md section 2), so every correction becomes a regression test.
"""
from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

REVIEWED_TABLES = ("targets", "deadlines", "citations", "tasks", "sections", "indicators")
# what an added row carries besides its editable fields: its span, and what the app completes it with
ADDED_ONLY = ("char_start", "char_end", "anchor", "page", "section_path", "target_id")
EDITABLE = {
    "targets": ["value", "value_max", "unit", "comparator", "aspirational", "population", "period", "indicator"],
    "deadlines": ["text", "kind", "start", "end", "recurrence"],
    "citations": ["key", "doc_type", "issued_date", "issuer", "role"],
    "tasks": ["task", "lead", "partners", "output", "timeline"],
    "sections": ["title", "kind"],
    # run-wide (doc_id "*"): the row key is an indicator key, renamed, or merged into another key
    "indicators": ["indicator", "indicator_label"],
}
ACTIONS = ("correct", "wrong", "corrected", "added", "renamed")
ALL_DOCUMENTS = "*"


def run_renames(out: Path) -> dict:
    """The indicator renames stored for a run folder (none when nobody reviewed it); creates nothing."""
    if not (Path(out) / "reviews.sqlite").exists():
        return {}
    return indicator_renames(ReviewStore(out).all(ALL_DOCUMENTS))


def indicator_renames(reviews: list[dict]) -> dict[str, tuple[str, str | None]]:
    """{old key: (new key, new label)} from the run-wide indicator reviews, chains followed (a -> b, b -> c
    gives a -> c) and a cycle left where it closes."""
    direct = {r["row_key"]: (str(r["fields"].get("indicator") or r["row_key"]), r["fields"].get("indicator_label"))
              for r in reviews if r["table"] == "indicators" and r["action"] == "renamed"}
    out = {}
    for old in direct:
        key, label, seen = old, None, set()
        while key in direct and key not in seen:
            seen.add(key)
            key, label = direct[key][0], direct[key][1] or label
        out[old] = (key, label)
    return out


def rename_indicators(targets, renames: dict):
    """The targets table with reviewed indicator keys renamed or merged (and their labels)."""
    if targets is None or not renames or "indicator" not in targets:
        return targets
    targets = targets.copy()
    new = targets["indicator"].map(lambda k: renames.get(k, (k, None))[0])
    if "indicator_label" in targets:
        label = targets["indicator"].map(lambda k: renames.get(k, (k, None))[1])
        targets["indicator_label"] = label.where(label.notna(), targets["indicator_label"])
    targets["indicator"] = new
    return targets


def row_key(table: str, row: dict) -> str:
    """Where the row stands in the normalized text (and, for citations, the key it reads)."""
    if table == "citations":
        return str(row.get("key"))
    start, end = row.get("char_start"), row.get("char_end")
    return f"{int(float(start))}-{int(float(end))}" if start not in (None, "") else str(row.get("target_id"))


class ReviewStore:
    def __init__(self, out: Path):
        self.path = Path(out) / "reviews.sqlite"
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS reviews (doc_id TEXT, tbl TEXT, row_key TEXT, action TEXT, "
                       "fields TEXT, reviewer TEXT, at REAL, PRIMARY KEY (doc_id, tbl, row_key))")

    def _db(self):
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def save(self, doc_id: str, table: str, key: str, action: str, fields: dict | None = None,
             reviewer: str | None = None) -> dict:
        if table not in REVIEWED_TABLES:
            raise ValueError(f"table must be one of {REVIEWED_TABLES}")
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}")
        if (table == "indicators") != (action == "renamed") or (table == "indicators") != (doc_id == ALL_DOCUMENTS):
            raise ValueError('an indicator key is renamed run-wide: table "indicators", action "renamed", doc_id "*"')
        fields = {k: v for k, v in (fields or {}).items()
                  if k in EDITABLE[table] or (action == "added" and k in ADDED_ONLY)}
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (doc_id, table, key, action, json.dumps(fields, ensure_ascii=False), reviewer, time.time()))
        return {"doc_id": doc_id, "table": table, "row_key": key, "action": action, "fields": fields}

    def all(self, doc_id: str | None = None) -> list[dict]:
        with self._db() as db:
            q = "SELECT * FROM reviews" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY at"
            rows = db.execute(q, (doc_id,) if doc_id else ()).fetchall()
        return [{"doc_id": r["doc_id"], "table": r["tbl"], "row_key": r["row_key"], "action": r["action"],
                 "fields": json.loads(r["fields"] or "{}"), "reviewer": r["reviewer"], "at": r["at"]} for r in rows]

    def delete(self, doc_id: str, table: str, key: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM reviews WHERE doc_id = ? AND tbl = ? AND row_key = ?", (doc_id, table, key))


def apply_reviews(frames: dict, reviews: list[dict]) -> dict:
    """The tables with reviews applied: rows marked wrong dropped, corrections written over the fields,
    added rows appended; a `review` column says what a reviewer did to each row (empty: not reviewed)."""
    import pandas as pd
    by = {(r["doc_id"], r["table"], r["row_key"]): r for r in reviews}
    out = dict(frames)
    for table in REVIEWED_TABLES:
        df = frames.get(table)
        if df is None:
            continue
        records = []
        for row in df.to_dict("records"):
            r = by.get((row["doc_id"], table, row_key(table, row)))
            if r is None:
                records.append({**row, "review": None})
            elif r["action"] == "wrong":
                continue
            else:
                records.append({**row, **r["fields"], "review": r["action"]})
        for r in reviews:
            if r["table"] == table and r["action"] == "added":
                records.append({"doc_id": r["doc_id"], **r["fields"], "review": "added"})
        out[table] = pd.DataFrame(records, columns=list(df.columns) + ["review"])
    out["targets"] = rename_indicators(out.get("targets"), indicator_renames(reviews))
    return out
