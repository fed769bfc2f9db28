"""Reviews written as gold JSON (SPEC section 2), for `kehoach eval --reviews`: a reviewed plan becomes an
annotated one, so the tables as reviewed can score the extractors."""
from __future__ import annotations

import json
from pathlib import Path

from .export import read_tables
from .reviews import ReviewStore, apply_reviews


def write_gold(out: Path, dest: Path) -> list[Path]:
    """Gold JSON (SPEC section 2) for every reviewed document: the tables a reviewer touched, with the rows
    marked correct, corrected or added (wrong ones left out); the metadata as the run has it."""
    store = ReviewStore(out)
    reviews = store.all()
    frames = apply_reviews(read_tables(out), reviews)
    docs = frames["documents"].set_index("doc_id")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    texts = {}
    for doc_id in sorted({r["doc_id"] for r in reviews}):
        if doc_id not in docs.index:
            continue
        d = docs.loc[doc_id]
        stem = Path(str(d["source_path"])).stem
        gold: dict = {"doc": stem, "metadata": {k: _plain(d.get(k)) for k in (
            "doc_type", "doc_number", "issuer", "issued_date", "place", "signer_name", "signer_title",
            "unit_level", "school_level")}}
        touched = {r["table"] for r in reviews if r["doc_id"] == doc_id}
        pick = {t: frames[t][(frames[t]["doc_id"] == doc_id) & frames[t]["review"].notna()] for t in touched}
        text_path = Path(out) / "text" / f"{doc_id}.txt"
        text = texts.setdefault(doc_id, text_path.read_text(encoding="utf-8") if text_path.exists() else "")
        if "targets" in pick:
            gold["targets"] = [{"value": _plain(r["value"]), "value_max": _plain(r.get("value_max")),
                                "unit": _plain(r["unit"]), "comparator": _plain(r["comparator"]),
                                "aspirational": str(r.get("aspirational")).lower() == "true",
                                "population": _plain(r.get("population")), "anchor": _anchor(text, r)}
                               for r in pick["targets"].to_dict("records")]
        if "deadlines" in pick:
            gold["deadlines"] = [{"text": _plain(r["text"]), "kind": _plain(r["kind"]), "start": _plain(r["start"]),
                                  "end": _plain(r["end"])} for r in pick["deadlines"].to_dict("records")]
        if "citations" in pick:
            gold["citations"] = [{"key": _plain(r["key"]), "doc_type": _plain(r["doc_type"]),
                                  "issued_date": _plain(r["issued_date"]), "issuer": _plain(r["issuer"])}
                                 for r in pick["citations"].to_dict("records")]
        if "sections" in pick:
            gold["sections"] = [{"path": _plain(r.get("section_path")), "title": _plain(r["title"]),
                                 "kind": _plain(r["kind"])} for r in pick["sections"].to_dict("records")]
        path = dest / f"{stem}.json"
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
    return written


def _anchor(text: str, row: dict) -> str | None:
    """A short exact substring around the number, inside the row's own sentence: the gold anchor."""
    if row.get("anchor"):
        return row["anchor"]
    sentence, number = str(row.get("sentence") or ""), str(row.get("text") or "")
    if sentence and number and (i := sentence.find(number)) != -1:
        return " ".join(sentence[max(0, i - 20):i + len(number) + 25].split())
    try:
        s, e = int(float(row["char_start"])), int(float(row["char_end"]))
    except (TypeError, ValueError, KeyError):
        return _plain(row.get("text"))
    if not text:
        return _plain(row.get("text"))
    line_start = max(text.rfind("\n", 0, s), text.rfind("\t", 0, s)) + 1
    a = max(line_start, s - 20)
    ends = [i for i in (text.find("\n", e), text.find("\t", e)) if i != -1]
    b = min([e + 30] + ends)
    return " ".join(text[a:b].split())


def _plain(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v
