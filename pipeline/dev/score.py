"""Compare a run's tables with gold annotations, as SPEC.md section 3 says (and as the reference scorer does).

- texts are compared NFC, whitespace-collapsed, dashes unified, old tone placement folded (hoà -> hòa);
- rows are paired by maximum bipartite matching, never first-come; each gold target tries its candidates
  with the same unit first, then the same population head, then the rest, in output order;
- a gold target with a `row` also needs that text in the predicted sentence (a table target's row cells);
- indicator alignment: over pairs of matched targets of different documents whose gold carries an
  `indicator`, "same" in the gold (equal keys) against "same" in the output (equal, non-empty keys);
- each table's F1 is given per document and macro-averaged over documents beside the summed figure;
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

from ..vi import citation_key, modern_tones

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
        got = str(got).strip().lower()
        return got in ("true", "1", "1.0") if want else got in ("", "false", "0", "0.0", "none", "nan")
    w, g = text_key(want).casefold(), text_key(got).casefold()
    if name != "population":
        return w == g

    def head(x):
        words = regex.findall(r"\w+", x)
        while words and words[0] in _LEADING:
            words = words[1:]
        return words[:2]
    return bool(head(w)) and head(w) == head(g)


def pair(n_gold: int, n_pred: int, ok, prefer=None) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths): {gold index: pred index}. prefer(i, j) orders each
    gold row's candidates (lower first), a tie-breaker among equally large pairings."""
    cand = [[j for j in range(n_pred) if ok(i, j)] for i in range(n_gold)]
    if prefer:
        cand = [sorted(c, key=lambda j, i=i: prefer(i, j)) for i, c in enumerate(cand)]
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


def _f1(gold: int, pred: int, matched: int) -> float:
    p = matched / pred if pred else (1.0 if not gold else 0.0)
    r = matched / gold if gold else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    extra: dict = field(default_factory=dict)
    misses: list = field(default_factory=list)
    per_doc: dict = field(default_factory=dict)  # document -> [gold, pred, matched]

    def count_doc(self, name: str, gold: int, pred: int, matched: int) -> None:
        """One document's counts, also added to the sums."""
        self.count(gold, pred, matched)
        g, p, m = self.per_doc.get(name, (0, 0, 0))
        self.per_doc[name] = (g + gold, p + pred, m + matched)

    def doc_f1(self, name: str) -> float:
        return _f1(*self.per_doc[name])

    @property
    def macro_f1(self) -> float | None:
        """Mean F1 over the documents that have gold or predicted rows: each document weighs the same."""
        f1s = [_f1(g, p, m) for g, p, m in self.per_doc.values() if g or p]
        return sum(f1s) / len(f1s) if f1s else None

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
        return _f1(self.gold, self.pred, self.matched)


def _read_rows(out: Path, table: str) -> list[dict]:
    """Rows as strings, from the CSV when the run wrote one (as the reference scorer reads them)."""
    path = out / f"{table}.csv"
    if path.exists():
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    from ..store.export import read_tables
    frame = read_tables(out).get(table)
    if frame is None or frame.empty:
        return []
    return [{k: ("" if _blank(v) else str(v)) for k, v in r.items()} for r in frame.to_dict("records")]


def _score_targets(s: Score, name: str, gold: list, preds: list, aligned: list) -> None:
    sents = [text_key(r.get("sentence")).casefold() for r in preds]

    def ok(i, j):
        g, r = gold[i], preds[j]
        return (_num(r.get("value")) == _num(g.get("value")) and (r.get("unit") == "%") == (g.get("unit") == "%")
                and text_key(g.get("anchor")).casefold() in sents[j] and len(sents[j]) <= 600
                and (not g.get("row") or text_key(g["row"]).casefold() in sents[j]))

    def prefer(i, j):  # same unit first, then same population head, then output order
        return (not field_ok("unit", gold[i].get("unit"), preds[j].get("unit")),
                not field_ok("population", gold[i].get("population"), preds[j].get("population")))
    m = pair(len(gold), len(preds), ok, prefer)
    s.count_doc(name, len(gold), len(preds), len(m))
    aligned += [(name, gold[i]["indicator"], collapse(preds[j].get("indicator")).casefold())
                for i, j in m.items() if gold[i].get("indicator")]
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
    s.count_doc(name, len(gold), len(preds), len(m))
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
    s.count_doc(name, len(gold), len(top), len(m))
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


def _indicator_pairs(aligned: list) -> Score:
    """Pairs of matched targets from different documents: gold "same" (equal keys) against predicted "same"
    (equal, non-empty indicators)."""
    s = Score()
    for a in range(len(aligned)):
        da, ga, pa = aligned[a]
        for db, gb, pb in aligned[a + 1:]:
            if da == db:
                continue
            g_same, p_same = ga == gb, bool(pa) and pa == pb
            s.count(int(g_same), int(p_same), int(g_same and p_same))
            if g_same and not p_same:
                s.misses.append((da, "split", f"{ga}: {pa or '(none)'} | {db}: {pb or '(none)'}"))
            elif p_same and not g_same:
                s.misses.append((da, "merged", f"{pa}: {ga} | {db}: {gb}"))
    return s


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
    aligned: list = []  # (document, gold indicator, predicted indicator) of matched targets
    for gf in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        outs = [d for d, stem in stem_of.items() if stem == gf.stem]
        if not outs:
            missing.append(gf.stem)
            outs = ["__none__"]
        for doc_id in outs:  # several outputs of one gold (text, scan) are scored as separate documents
            name = gf.stem if len(outs) == 1 else f"{gf.stem}#{doc_id[:8]}"
            gk = {citation_key(c["key"]) for c in gold.get("citations", [])}
            pk = {citation_key(r.get("key")) for r in by_doc["citations"][doc_id] if r.get("key")}
            scores["citations"].count_doc(name, len(gk), len(pk), len(gk & pk))
            scores["citations"].misses += [(name, "missed", k) for k in gk - pk] + [(name, "extra", k) for k in pk - gk]
            if "targets" in gold:
                _score_targets(scores["targets"], name, gold["targets"], by_doc["targets"][doc_id], aligned)
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
    scores["indicators"] = _indicator_pairs(aligned)
    return scores


def summary(scores: dict) -> dict:
    """The flat figures the reference scorer prints (table F1s, accuracies, target field accuracies)."""
    flat = {f"{t}_f1": round(scores[t].f1, 3) for t in ("sections", "citations", "targets", "deadlines")}
    if scores["indicators"].gold:  # as the reference scorer: only where the gold has a "same" pair
        flat["indicators_f1"] = round(scores["indicators"].f1, 3)
    for t in ("targets", "deadlines"):
        flat[f"{t}_macro_f1"] = _r(scores[t].macro_f1)
    flat["deadline_norm_acc"] = _r(scores["deadlines"].rate("norm"))
    flat["section_kind_acc"] = _r(scores["sections"].rate("kind"))
    m = scores["metadata"]
    flat["metadata_acc"] = _r(m.matched / m.gold if m.gold else None)
    for f in TARGET_FIELDS:
        flat[f"target_{f}_acc"] = _r(scores["targets"].rate(f))
    return flat


def _r(x):
    return None if x is None else round(x, 3)


def report(scores: dict, misses: bool = False, per_doc: bool = True) -> str:
    lines = []
    if misses:
        for table in TABLES + ("indicators",):
            for doc, what, detail in scores[table].misses:
                lines.append(f"  {table:<10} {doc[:12]:<12} {what:<12} {detail}")
    if scores.get("_missing_docs"):
        lines.append(f"gold documents not in the run: {', '.join(scores['_missing_docs'])}")
    if per_doc:
        lines += _per_doc_lines(scores)
    lines.append(f"{'table':<10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}  {'macro':>6}  extra")
    t = scores["targets"]
    fields = "  ".join(f"{f} {t.rate(f):.3f}" for f in TARGET_FIELDS if t.rate(f) is not None)
    for table in TABLES + ("indicators",):
        s = scores[table]
        if table == "indicators" and not s.gold:
            lines.append("indicators: no pair of documents shares a gold indicator key (not scored)")
            continue
        extra = {"deadlines": f"normalization accuracy {s.rate('norm'):.3f}" if s.rate("norm") is not None else "",
                 "sections": f"kind accuracy {s.rate('kind'):.3f}" if s.rate("kind") is not None else "",
                 "metadata": f"field accuracy {s.matched / s.gold:.3f}" if s.gold else "",
                 "indicators": "pairs of matched targets from two documents that measure the same thing",
                 "targets": fields}.get(table, "")
        macro = f"{s.macro_f1:>6.3f}" if table in ("targets", "deadlines") and s.macro_f1 is not None else " " * 6
        lines.append(f"{table:<10} {s.gold:>5} {s.pred:>5} {s.matched:>5} {s.precision:>6.3f} {s.recall:>6.3f} "
                     f"{s.f1:>6.3f}  {macro}  {extra}")
    return "\n".join(lines)


def _per_doc_lines(scores: dict) -> list[str]:
    """One line per document: its targets and deadlines (gold/pred/matched, F1), so that one large document
    cannot carry the sum."""
    names = sorted(set(scores["targets"].per_doc) | set(scores["deadlines"].per_doc))
    if not names:
        return []
    width = max(12, min(44, max(map(len, names))))
    out = [f"{'document':<{width}}  {'targets g/p/m':>15} {'F1':>6}  {'deadlines g/p/m':>15} {'F1':>6}"]
    for n in names:
        cells = []
        for t in ("targets", "deadlines"):
            s = scores[t]
            if n in s.per_doc:
                g, p, m = s.per_doc[n]
                cells.append(f"{f'{g}/{p}/{m}':>15} {s.doc_f1(n) if g or p else float('nan'):>6.3f}")
            else:
                cells.append(f"{'-':>15} {'':>6}")
        out.append(f"{n[:width]:<{width}}  {cells[0]}  {cells[1]}")
    return out + [""]
