"""Is a rule general? Remove it and see which documents move (issue 22).

Each entry of the rule tables (an item of a top-level list, a key of a top-level mapping, in every YAML
file of the rules folder) is taken out in turn; the annotated documents are run again under the rules
without it and scored against their gold. A document moves when any of its figures changes: the gold,
predicted and matched counts of its targets, deadlines, citations and sections, or any of its scored
misses (a wrong unit, population, metadata field). An entry that moves no document is unused here; one
that moves a single document is a patch for that document; one that moves two or more carries over.
"""
from __future__ import annotations

import shutil
import unicodedata
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..rules import RULES_DIR

SCORED = ("targets", "deadlines", "citations", "sections", "metadata")


@dataclass
class Entry:
    file: str                 # "targets.yaml"
    key: str                  # top-level key
    index: int | str          # list position or mapping key
    shown: str                # a short rendering of the entry

    @property
    def name(self) -> str:
        where = f"[{self.index}]" if isinstance(self.index, int) else f".{self.index}"
        return f"{self.file}:{self.key}{where}"


@dataclass
class Outcome:
    entry: Entry
    moved: dict = field(default_factory=dict)     # document -> "targets 0.957 -> 0.940; ..."
    reach: list = field(default_factory=list)     # the annotated documents whose text the entry matches

    @property
    def verdict(self) -> str:
        n = len(self.moved)
        return "unused" if n == 0 else "patch" if n == 1 else "general"


def _short(value) -> str:
    text = value if isinstance(value, str) else yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                                                               width=10_000).strip()
    return text if len(text) <= 60 else text[:57] + "..."


def entries(folder: Path, only: str | None = None) -> list[Entry]:
    """Every removable entry of the rule files in `folder` whose name contains `only`."""
    out = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items() if isinstance(data, dict) else ():
            if isinstance(value, list):
                out += [Entry(path.name, key, i, _short(v)) for i, v in enumerate(value)]
            elif isinstance(value, dict):
                out += [Entry(path.name, key, k, _short(f"{k}: {_short(v)}")) for k, v in value.items()]
    return [e for e in out if not only or only in e.name]


# keys of a rule entry that hold prose or codes, not words of the documents
_NOT_TEXT = {"examples", "not_examples", "why", "id", "level", "comparator", "label", "role", "kind", "title",
             "doc_type", "issued_date", "issuer", "whole_cell"}
# top-level mappings whose keys are names or ids, not words of the documents
_NAMED = {"variables", "grammar", "indicator_labels"}
# tables whose patterns read one table cell (a column's header), not running text
_CELLS = {"grid_columns", "task_columns"}


class _InCells:
    """A pattern tried on each table cell of a text (a markdown pipe or tab cell, or a line), case-folded and
    without the markdown emphasis around it ("**TT**")."""

    def __init__(self, rx):
        self.rx = rx

    def search(self, text: str):
        import regex
        return next((m for cell in regex.split(r"[|\t\n]", text) if (m := self.rx.search(cell.strip(" *_").casefold()))), None)


def matchers(folder: Path, entry: Entry) -> list:
    """What the entry reads in a document's text: its words and phrases (whole words, any case, any run of
    spaces between a phrase's words), its regex (with the file's $variables), the key of a mapping that
    names words (a province, a multiplier, a symbol's code); a column's header pattern is tried on each
    table cell. Empty for entries that are codes, not text."""
    from string import Template

    import regex
    data = yaml.safe_load((Path(folder) / entry.file).read_text(encoding="utf-8")) or {}
    value = data[entry.key][entry.index]
    variables = data.get("variables") or {}
    found: list = []

    def compiled(pattern: str):
        try:
            return regex.compile(Template(pattern).safe_substitute(variables), regex.I)
        except (regex.error, KeyError, ValueError):
            return None

    def words(items, whole: bool = False) -> None:
        for w in items:
            if isinstance(w, str) and w.strip():
                phrase = r"\s+".join(regex.escape(part) for part in w.split())
                found.append(regex.compile(rf"(?i)^(?:{phrase})$" if whole else rf"(?i)(?<!\p{{L}}){phrase}(?!\p{{L}})"))

    def walk(v, key=None, whole=False) -> None:
        if isinstance(v, str):
            if key == "regex":
                if (rx := compiled(v)) is not None:
                    found.append(rx)
            elif key is None:
                words([v])
        elif isinstance(v, list) and key not in _NOT_TEXT:
            words(v, whole)
            for item in v:
                if isinstance(item, dict):
                    walk(item)
        elif isinstance(v, dict):
            for k, item in v.items():
                if k not in _NOT_TEXT:
                    walk(item, k, bool(v.get("whole_cell")))

    if entry.key == "variables":
        if isinstance(value, str) and (rx := compiled(value)) is not None:
            found.append(rx)
        return found
    if isinstance(data[entry.key], dict) and entry.key not in _NAMED:
        words([str(entry.index)])            # a province, a multiplier, a symbol's code: the key is the word
        if isinstance(value, (str, dict)):
            walk(value)
        elif isinstance(value, list):
            words(value)
    else:
        walk(value)
    return [_InCells(rx) for rx in found] if entry.key in _CELLS else found


def document_texts(sets: list[tuple[Path, Path]]) -> dict[str, str]:
    """The text of each annotated document given as text (.txt, .md), by its gold name."""
    out = {}
    for docs, gold in sets:
        names = {g.stem for g in Path(gold).glob("*.json")}
        for path in sorted(Path(docs).iterdir()):
            if path.suffix.lower() in (".txt", ".md") and path.stem in names:
                out[path.stem] = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
    return out


def reach(folder: Path, entry: Entry, texts: dict[str, str]) -> list[str]:
    """The documents whose text the entry matches at least once: where its words or pattern occur, whether or
    not the score needs it there (another rule may read the same place)."""
    found = matchers(folder, entry)
    return sorted(name for name, text in texts.items() if any(rx.search(text) for rx in found))


def without(folder: Path, entry: Entry, dest: Path) -> Path:
    """A copy of the rules folder with `entry` removed."""
    shutil.copytree(folder, dest, dirs_exist_ok=True)
    path = dest / entry.file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    container = data[entry.key]
    if isinstance(container, list):
        del container[entry.index]
    else:
        del container[entry.index]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return dest


def doc_figures(scores: dict) -> dict[str, tuple]:
    """Per document: the counts and the misses that scoring it gave."""
    figures: dict = defaultdict(list)
    for t in SCORED:
        s = scores[t]
        for name, counts in s.per_doc.items():
            figures[name].append((t, tuple(counts)))
        for miss in s.misses:
            figures[miss[0]].append((t, miss[1], miss[2]))
    return {k: tuple(sorted(map(str, v))) for k, v in figures.items()}


def _f1s(scores: dict, name: str) -> dict[str, float]:
    return {t: round(scores[t].doc_f1(name), 3) for t in SCORED[:4] if name in scores[t].per_doc}


def score_sets(sets: list[tuple[Path, Path]], rules: Path | None, work: Path) -> dict:
    """Run every set's documents under `rules` and score them; the per-document figures and F1s."""
    from ..options import Options
    from ..runner import run
    from .score import evaluate
    figures, f1s = {}, {}
    for n, (docs, gold) in enumerate(sets):
        out = work / f"out{n}"
        run([str(docs)], out, Options(progress=False, jobs=1, rules=str(rules) if rules else None, formats=("csv",)))
        scores = evaluate(out, gold)
        figures.update(doc_figures(scores))
        f1s.update({name: _f1s(scores, name) for name in doc_figures(scores)})
        shutil.rmtree(out, ignore_errors=True)
    return {"figures": figures, "f1": f1s}


def _one(args) -> tuple[str, dict]:
    entry, folder, sets = args
    with tempfile.TemporaryDirectory(prefix="kehoach-ablate-") as tmp:
        rules = without(folder, entry, Path(tmp) / "rules")
        return entry.name, score_sets(sets, rules, Path(tmp))


def ablate(sets: list[tuple[Path, Path]], rules: Path | None = None, only: str | None = None, jobs: int = 1,
           progress=None) -> list[Outcome]:
    """Remove each entry in turn; the documents each removal moves."""
    folder = Path(rules) if rules else RULES_DIR
    todo = entries(folder, only)
    texts = document_texts(sets)
    with tempfile.TemporaryDirectory(prefix="kehoach-ablate-") as tmp:
        base = score_sets(sets, folder, Path(tmp))
    outcomes = []
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for entry, (name, got) in zip(todo, pool.map(_one, [(e, folder, sets) for e in todo])):
            moved = {}
            for doc, fig in got["figures"].items():
                if base["figures"].get(doc) != fig:
                    before, after = base["f1"].get(doc, {}), got["f1"].get(doc, {})
                    change = [f"{t} {before.get(t)} -> {after.get(t)}" for t in sorted(set(before) | set(after))
                              if before.get(t) != after.get(t)]
                    gained = sorted(set(fig) - set(base["figures"].get(doc, ())))
                    lost = sorted(set(base["figures"].get(doc, ())) - set(fig))
                    detail = f"{len(gained)} scored facts new, {len(lost)} gone"
                    first = next((g for g in gained if "wrong" in g or "missed" in g or "extra" in g), None)
                    moved[doc] = "; ".join(change + [detail] + ([f"e.g. {first[:140]}"] if first else []))
            outcomes.append(Outcome(entry, moved, reach(folder, entry, texts) if len(moved) == 1 else []))
            if progress:
                progress(len(outcomes), len(todo))
    return outcomes


def format_outcomes(outcomes: list[Outcome]) -> str:
    counts = defaultdict(int)
    for o in outcomes:
        counts[o.verdict] += 1
    patches = [o for o in outcomes if o.verdict == "patch"]
    alone = [o for o in patches if len(o.reach) < 2]
    lines = [f"{len(outcomes)} rule entries: {counts['general']} general (move 2+ documents), "
             f"{counts['patch']} patches (move one), {counts['unused']} unused here"]
    if patches:
        lines.append(f"of the patches, {len(patches) - len(alone)} match the text of two or more documents (the "
                     f"score moves in one: elsewhere another rule reads the same place), {len(alone)} match "
                     "one document's text or none (its vocabulary, or a code)")
    lines.append("")
    for verdict in ("patch", "general", "unused"):
        chosen = [o for o in outcomes if o.verdict == verdict]
        if not chosen:
            continue
        lines.append(f"## {verdict} ({len(chosen)})")
        for o in chosen:
            lines.append(f"{o.entry.name}  {o.entry.shown}")
            if verdict == "patch":
                lines.append(f"    matches the text of {len(o.reach)} document(s)"
                             + (f": {', '.join(o.reach[:6])}{' ...' if len(o.reach) > 6 else ''}" if o.reach else ""))
            for doc, change in sorted(o.moved.items()):
                lines.append(f"    {doc}: {change}")
        lines.append("")
    return "\n".join(lines)
