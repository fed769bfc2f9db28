"""Compare a run's tables with gold annotations, exactly as SPEC.md section 3 says."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import regex

_WS = regex.compile(r"\s+")
_DASH = regex.compile(r"[–—‐−‑]")


def collapse(s) -> str:
    return _WS.sub(" ", str(s or "")).strip()


def citation_key(k: str) -> str:
    return _DASH.sub("-", _WS.sub("", str(k))).casefold()


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    extra: dict = field(default_factory=dict)
    misses: list = field(default_factory=list)

    def count(self, gold: int = 0, pred: int = 0, matched: int = 0) -> None:
        self.gold += gold
        self.pred += pred
        self.matched += matched

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _records(df, doc_id) -> list[dict]:
    if df is None or df.empty:
        return []
    return df[df["doc_id"].astype(str) == str(doc_id)].to_dict("records")


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _empty(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() in ("", "None", "nan", "NaT")


def _same(a, b) -> bool:
    if _empty(a) and _empty(b):
        return True
    return collapse(a).casefold() == collapse(b).casefold() and not (_empty(a) or _empty(b))


def match_deadline(pred: str, gold: str) -> bool:
    p, g = collapse(pred).casefold(), collapse(gold).casefold()
    if p == g:
        return True
    if g in p and len(p) <= 3 * len(g):
        return True
    return p in g and len(p) >= 0.6 * len(g)


def score_doc(gold: dict, frames: dict, doc_id: str, scores: dict) -> None:
    name = gold["doc"]
    # citations
    s = scores["citations"]
    gk = {citation_key(c["key"]) for c in gold.get("citations", [])}
    pk = {citation_key(r["key"]) for r in _records(frames.get("citations"), doc_id)}
    s.count(len(gk), len(pk), len(gk & pk))
    s.misses += [(name, "missed", k) for k in gk - pk] + [(name, "extra", k) for k in pk - gk]
    # targets
    s = scores["targets"]
    preds = _records(frames.get("targets"), doc_id)
    used: set[int] = set()
    s.count(len(gold.get("targets", [])), len(preds))
    for t in gold.get("targets", []):
        anchor = collapse(t["anchor"])
        hit = next((i for i, r in enumerate(preds) if i not in used
                    and _num(r["value"]) == _num(t["value"])
                    and (str(r["unit"]) == "%") == (t["unit"] == "%")
                    and len(str(r["sentence"])) <= 600 and anchor in collapse(r["sentence"])), None)
        if hit is None:
            s.misses.append((name, "missed", f'{t["value"]} {t["unit"]} | {t["anchor"]}'))
        else:
            used.add(hit)
            s.count(matched=1)
    s.misses += [(name, "extra", f'{r["value"]} {r["unit"]} | {collapse(r["sentence"])[:90]}')
                 for i, r in enumerate(preds) if i not in used]
    # deadlines
    s = scores["deadlines"]
    preds = _records(frames.get("deadlines"), doc_id)
    used = set()
    s.count(len(gold.get("deadlines", [])), len(preds))
    for d in gold.get("deadlines", []):
        hit = next((i for i, r in enumerate(preds) if i not in used and match_deadline(r["text"], d["text"])), None)
        if hit is None:
            s.misses.append((name, "missed", d["text"]))
            continue
        used.add(hit)
        s.count(matched=1)
        r = preds[hit]
        ok = _same(r.get("start"), d.get("start")) and _same(r.get("end"), d.get("end"))
        s.extra["norm_ok"] = s.extra.get("norm_ok", 0) + int(ok)
        if not ok:
            s.misses.append((name, "wrong dates", f'{d["text"]}: {r.get("start")}..{r.get("end")} '
                                                  f'!= {d.get("start")}..{d.get("end")}'))
    s.misses += [(name, "extra", r["text"]) for i, r in enumerate(preds) if i not in used]
    # sections (top level)
    s = scores["sections"]
    secs = [r for r in _records(frames.get("sections"), doc_id) if int(float(r["level"])) == 1]
    used = set()
    s.count(len(gold.get("sections", [])), len(secs))
    for g in gold.get("sections", []):
        key = collapse(g["title"]).casefold()
        hit = next((i for i, r in enumerate(secs) if i not in used and collapse(r["title"]).casefold() == key), None)
        if hit is None:
            s.misses.append((name, "missed", g["title"]))
            continue
        used.add(hit)
        s.count(matched=1)
        ok = secs[hit]["kind"] == g["kind"]
        s.extra["kind_ok"] = s.extra.get("kind_ok", 0) + int(ok)
        if not ok:
            s.misses.append((name, "wrong kind", f'{g["title"]}: {secs[hit]["kind"]} != {g["kind"]}'))
    s.misses += [(name, "extra", r["title"]) for i, r in enumerate(secs) if i not in used]
    # metadata
    s = scores["metadata"]
    docs = _records(frames.get("documents"), doc_id)
    row = docs[0] if docs else {}
    for field_, value in gold.get("metadata", {}).items():
        same = _same(row.get(field_), value)
        s.count(1, 1, int(same))
        if not same:
            s.misses.append((name, "wrong " + field_, f"{row.get(field_)!r} != {value!r}"))


def find_doc(frames: dict, stem: str) -> str | None:
    docs = frames.get("documents")
    if docs is None or docs.empty:
        return None
    for r in docs.to_dict("records"):
        if Path(str(r["source_path"])).stem == stem:
            return r["doc_id"]
    for r in docs.to_dict("records"):
        if Path(str(r["source_path"])).stem.startswith(stem):
            return r["doc_id"]
    return None


def evaluate(out: Path, gold_dir: Path) -> dict:
    from .export import read_tables
    frames = read_tables(Path(out))
    scores = {k: Score() for k in ("citations", "targets", "deadlines", "sections", "metadata")}
    missing = []
    for gf in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        doc_id = find_doc(frames, gold.get("doc", gf.stem))
        if doc_id is None:
            missing.append(gold.get("doc", gf.stem))
            doc_id = "__none__"
        score_doc(gold, frames, doc_id, scores)
    scores["_missing_docs"] = missing
    return scores


def report(scores: dict, misses: bool = False) -> str:
    lines = []
    if misses:
        for table in ("citations", "targets", "deadlines", "sections", "metadata"):
            for doc, what, detail in scores[table].misses:
                lines.append(f"  {table:<10} {doc[:12]:<12} {what:<12} {detail}")
    if scores.get("_missing_docs"):
        lines.append(f"gold documents not in the run: {', '.join(scores['_missing_docs'])}")
    lines.append(f"{'table':<10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}  extra")
    for table in ("citations", "targets", "deadlines", "sections", "metadata"):
        s = scores[table]
        extra = ""
        if table == "deadlines":
            extra = f"normalization accuracy {s.extra.get('norm_ok', 0) / s.matched:.3f}" if s.matched else ""
        if table == "sections":
            extra = f"kind accuracy {s.extra.get('kind_ok', 0) / s.matched:.3f}" if s.matched else ""
        if table == "metadata":
            extra = f"field accuracy {s.matched / s.gold:.3f}" if s.gold else ""
        lines.append(f"{table:<10} {s.gold:>5} {s.pred:>5} {s.matched:>5} {s.precision:>6.3f} {s.recall:>6.3f} "
                     f"{s.f1:>6.3f}  {extra}")
    return "\n".join(lines)
