"""Compare a run's tables with gold annotations, as SPEC.md section 3 says (and as the reference scorer does).

- texts are compared NFC, whitespace-collapsed, dashes unified, old tone placement folded (hoà -> hòa);
- rows are paired by maximum bipartite matching, never first-come;
- a gold file scores only the tables it annotates; several outputs of one gold (text, scan) are scored
  separately; documents pair with gold by the stem of `source_path` without the fixture suffixes.
"""
from __future__ import annotations

import csv
import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .normalize.unicode import modern_tones

_WS = regex.compile(r"\s+")
_DASHES = dict.fromkeys(map(ord, "–—‐‑−﹣－"), "-")
_SUFFIX = regex.compile(r"(_lowq_scan|_fax_scan|_phone_scan|_scan|_docx|_text)$")
_LEADING = ("các", "những", "toàn", "bộ", "tất", "cả")
TABLES = ("citations", "targets", "deadlines", "sections", "metadata")
TARGET_FIELDS = ("comparator", "unit", "aspirational", "population")


def collapse(s) -> str:
    """NFC, whitespace collapsed, new-style tone placement."""
    return modern_tones(_WS.sub(" ", unicodedata.normalize("NFC", "" if s is None else str(s))).strip())


def text_key(s) -> str:
    """collapse() with every dash variant unified: anchors, sentences and deadline texts."""
    return collapse(s).translate(_DASHES)


def citation_key(k) -> str:
    return _WS.sub("", unicodedata.normalize("NFC", str(k or ""))).translate(_DASHES).casefold()


def _num(x):
    try:
        return round(float(str(x).replace(",", ".")), 4)
    except (TypeError, ValueError):
        return None


def _blank(v) -> bool:
    return v is None or str(v).strip() in ("", "None", "nan", "NaN", "NaT")


def match_deadline(pred, gold) -> bool:
    """Equal; or contains the gold text and is at most three times as long; or lies inside it and is at
    least half as long (case-folded)."""
    p, g = text_key(pred).casefold(), text_key(gold).casefold()
    return bool(p) and (p == g or (g in p and len(p) <= 3 * len(g)) or (p in g and len(p) >= 0.5 * len(g)))


def field_ok(name: str, want, got) -> bool:
    """A matched target's field: exact (case-folded), except population, whose head (first two words after
    a leading "các", "những", "toàn bộ", "tất cả") must agree."""
    if name == "aspirational":
        truthy = str(got).strip().lower() in ("true", "1", "1.0")
        return truthy if want else not truthy
    w, g = text_key(want).casefold(), text_key(got).casefold()
    if name != "population":
        return w == g

    def head(x):
        words = regex.findall(r"\w+", x)
        while words and words[0] in _LEADING:
            words = words[1:]
        return words[:2]
    return bool(head(w)) and head(w) == head(g)


def pair(n_gold: int, n_pred: int, ok) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths): {gold index: pred index}."""
    cand = [[j for j in range(n_pred) if ok(i, j)] for i in range(n_gold)]
    owner: dict[int, int] = {}

    def take(i, seen):
        for j in cand[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or take(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(n_gold):
        take(i, set())
    return {i: j for j, i in owner.items()}


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

    def tally(self, key: str, ok: bool) -> None:
        self.extra[key + "_ok"] = self.extra.get(key + "_ok", 0) + int(ok)
        self.extra[key + "_n"] = self.extra.get(key + "_n", 0) + 1

    def rate(self, key: str) -> float | None:
        n = self.extra.get(key + "_n", 0)
        return self.extra.get(key + "_ok", 0) / n if n else None

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


def _read_rows(out: Path, table: str) -> list[dict]:
    """Rows as strings, from the CSV when the run wrote one (as the reference scorer reads them)."""
    path = out / f"{table}.csv"
    if path.exists():
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    from .export import read_tables
    frame = read_tables(out).get(table)
    if frame is None or frame.empty:
        return []
    return [{k: ("" if _blank(v) else str(v)) for k, v in r.items()} for r in frame.to_dict("records")]


def _score_targets(s: Score, name: str, gold: list, preds: list) -> None:
    sents = [text_key(r.get("sentence")).casefold() for r in preds]

    def ok(i, j):
        g, r = gold[i], preds[j]
        return (_num(r.get("value")) == _num(g.get("value")) and (r.get("unit") == "%") == (g.get("unit") == "%")
                and text_key(g.get("anchor")).casefold() in sents[j] and len(sents[j]) <= 600)
    m = pair(len(gold), len(preds), ok)
    s.count(len(gold), len(preds), len(m))
    for i, j in m.items():
        for f in TARGET_FIELDS:
            if gold[i].get(f) is None and f != "aspirational":
                continue
            good = field_ok(f, gold[i].get(f), preds[j].get(f))
            s.tally(f, good)
            if not good:
                s.misses.append((name, f"wrong {f}", f"«{gold[i].get('anchor')}» {preds[j].get(f)!r} != {gold[i].get(f)!r}"))
    s.misses += [(name, "missed", f'{g.get("value")} {g.get("unit")} | {g.get("anchor")}')
                 for i, g in enumerate(gold) if i not in m]
    got = set(m.values())
    s.misses += [(name, "extra", f'{r.get("value")} {r.get("unit")} | {collapse(r.get("sentence"))[:90]}')
                 for j, r in enumerate(preds) if j not in got]


def _score_deadlines(s: Score, name: str, gold: list, preds: list) -> None:
    m = pair(len(gold), len(preds), lambda i, j: match_deadline(preds[j].get("text"), gold[i].get("text")))
    s.count(len(gold), len(preds), len(m))
    for i, g in enumerate(gold):
        if i not in m:
            s.misses.append((name, "missed", g.get("text")))
            continue
        r = preds[m[i]]
        good = (r.get("start") or None) == g.get("start") and (r.get("end") or None) == g.get("end")
        s.tally("norm", good)
        if not good:
            s.misses.append((name, "wrong dates", f'{g.get("text")}: {r.get("start")}..{r.get("end")} '
                                                  f'!= {g.get("start")}..{g.get("end")}'))
    got = set(m.values())
    s.misses += [(name, "extra", r.get("text")) for j, r in enumerate(preds) if j not in got]


def _score_sections(s: Score, name: str, gold: list, preds: list) -> None:
    top = [r for r in preds if str(r.get("level")) in ("1", "1.0")]
    titles = [collapse(r.get("title")).casefold() for r in top]
    m = pair(len(gold), len(top), lambda i, j: titles[j] == collapse(gold[i].get("title")).casefold())
    s.count(len(gold), len(top), len(m))
    for i, g in enumerate(gold):
        if i not in m:
            s.misses.append((name, "missed", g.get("title")))
            continue
        good = top[m[i]].get("kind") == g.get("kind")
        s.tally("kind", good)
        if not good:
            s.misses.append((name, "wrong kind", f'{g.get("title")}: {top[m[i]].get("kind")} != {g.get("kind")}'))
    got = set(m.values())
    s.misses += [(name, "extra", r.get("title")) for j, r in enumerate(top) if j not in got]


def evaluate(out: Path, gold_dir: Path) -> dict:
    out = Path(out)
    rows = {t: _read_rows(out, t) for t in ("documents", "citations", "targets", "deadlines", "sections")}
    stem_of = {d["doc_id"]: _SUFFIX.sub("", Path(d.get("source_path", "")).stem) for d in rows["documents"]}
    by_doc: dict = {t: defaultdict(list) for t in rows}
    for t, rs in rows.items():
        for r in rs:
            by_doc[t][r.get("doc_id")].append(r)
    scores = {k: Score() for k in TABLES}
    missing = []
    for gf in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        outs = [d for d, stem in stem_of.items() if stem == gf.stem]
        if not outs:
            missing.append(gf.stem)
            outs = ["__none__"]
        for doc_id in outs:
            name = gf.stem
            gk = {citation_key(c["key"]) for c in gold.get("citations", [])}
            pk = {citation_key(r.get("key")) for r in by_doc["citations"][doc_id] if r.get("key")}
            scores["citations"].count(len(gk), len(pk), len(gk & pk))
            scores["citations"].misses += [(name, "missed", k) for k in gk - pk] + [(name, "extra", k) for k in pk - gk]
            if "targets" in gold:
                _score_targets(scores["targets"], name, gold["targets"], by_doc["targets"][doc_id])
            if "deadlines" in gold:
                _score_deadlines(scores["deadlines"], name, gold["deadlines"], by_doc["deadlines"][doc_id])
            if "sections" in gold:
                _score_sections(scores["sections"], name, gold["sections"], by_doc["sections"][doc_id])
            row = (by_doc["documents"][doc_id] or [{}])[0]
            for k, v in (gold.get("metadata") or {}).items():
                if v in (None, ""):
                    continue
                same = collapse(row.get(k)).casefold() == collapse(v).casefold()
                scores["metadata"].count(1, 1, int(same))
                if not same:
                    scores["metadata"].misses.append((name, "wrong " + k, f"{row.get(k)!r} != {v!r}"))
    # kept for callers that read these two directly
    scores["deadlines"].extra["norm_ok"] = scores["deadlines"].extra.get("norm_ok", 0)
    scores["sections"].extra["kind_ok"] = scores["sections"].extra.get("kind_ok", 0)
    scores["_missing_docs"] = missing
    return scores


def summary(scores: dict) -> dict:
    """The flat figures the reference scorer prints (table F1s, accuracies, target field accuracies)."""
    flat = {f"{t}_f1": round(scores[t].f1, 3) for t in ("sections", "citations", "targets", "deadlines")}
    flat["deadline_norm_acc"] = _r(scores["deadlines"].rate("norm"))
    flat["section_kind_acc"] = _r(scores["sections"].rate("kind"))
    m = scores["metadata"]
    flat["metadata_acc"] = _r(m.matched / m.gold if m.gold else None)
    for f in TARGET_FIELDS:
        flat[f"target_{f}_acc"] = _r(scores["targets"].rate(f))
    return flat


def _r(x):
    return None if x is None else round(x, 3)


def report(scores: dict, misses: bool = False) -> str:
    lines = []
    if misses:
        for table in TABLES:
            for doc, what, detail in scores[table].misses:
                lines.append(f"  {table:<10} {doc[:12]:<12} {what:<12} {detail}")
    if scores.get("_missing_docs"):
        lines.append(f"gold documents not in the run: {', '.join(scores['_missing_docs'])}")
    lines.append(f"{'table':<10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}  extra")
    t = scores["targets"]
    fields = "  ".join(f"{f} {t.rate(f):.3f}" for f in TARGET_FIELDS if t.rate(f) is not None)
    for table in TABLES:
        s = scores[table]
        extra = {"deadlines": f"normalization accuracy {s.rate('norm'):.3f}" if s.rate("norm") is not None else "",
                 "sections": f"kind accuracy {s.rate('kind'):.3f}" if s.rate("kind") is not None else "",
                 "metadata": f"field accuracy {s.matched / s.gold:.3f}" if s.gold else "",
                 "targets": fields}.get(table, "")
        lines.append(f"{table:<10} {s.gold:>5} {s.pred:>5} {s.matched:>5} {s.precision:>6.3f} {s.recall:>6.3f} "
                     f"{s.f1:>6.3f}  {extra}")
    return "\n".join(lines)
