"""All extractors over one normalized Document."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cached_property

import regex

from ...model import Citation, Document, Extraction, Metadata
from ...reading.normalize.unicode import matching_view
from ..outline import parse_outline, preamble_end, section_at
from ...rules import Rules
from .citations import citation_rules, find_citations, find_mentions
from .deadlines import Scope, find_deadlines, interpret_deadline
from .grids import read_grids
from .metadata import extract_metadata
from .registry import check, misread_symbol, misread_year, registry
from .targets import find_targets, indicator_label, population_id, sentence_span, target_rules
from .tasks import find_responsibilities, find_table_tasks

EXTRACTORS = ("metadata", "sections", "citations", "targets", "deadlines", "tasks")
_SCHOOL_YEAR = regex.compile(r"năm\s+học\s+((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})", regex.I)
_YEAR = regex.compile(r"năm\s+((?:19|20)\d{2})(?!\s*[-–]\s*\d)", regex.I)
_TIMELINE = regex.compile(r"(?im)^[-+ ]*Thời\s+gian(?:\s+thực\s+hiện)?\s*:\s*(?P<t>[^\n]+)")


def _clause_end(text: str, pos: int, limit: int = 400) -> int:
    m = regex.compile(r"[;\n\t)]|\.\s").search(text, pos, min(len(text), pos + limit))
    return m.start() if m else min(len(text), pos + limit)


def _title_block(text: str, pre_end: int) -> tuple[int, int]:
    """The trích yếu lines after the document type line (kept for deadlines: 'năm 2026')."""
    m = regex.search(r"(?m)^(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|HƯỚNG DẪN|ĐỀ ÁN)\s*$", text[:pre_end])
    if not m:
        return 0, 0
    end = m.end()
    for k, lm in enumerate(regex.finditer(r"\n([^\n]*)", text[m.end():pre_end])):
        line = lm.group(1).strip()
        stop = r"(?:Căn cứ|Kính gửi|Số|\()" if k == 0 else r"(?:Căn cứ|Thực hiện|Kính gửi|Số|\()"
        if regex.match(stop, line) or len(line) > 200 or k >= 4:
            break
        end = m.end() + lm.end()
    return m.end(), end


def _basis_end(sections, pre_end: int) -> int:
    """A numbered "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH" section opening the plan is part of its preamble."""
    top = [s for s in sections if s.level == 1]
    if top and top[0].kind == "legal_basis":
        return top[0].end
    return pre_end


def _fact_sections(sections, table: dict, key: str = "not_goal_phrases") -> list[tuple[int, int]]:
    """Spans of sections that describe the current situation (their numbers are facts, not goals)."""
    from ...vi import fold
    phrases = [fold(p) for p in table.get(key, [])]
    # a heading names its topic in a few words; a numbered item that is a whole sentence ("2. Sở X báo cáo
    # tình hình thực hiện ... định kỳ hàng tháng") schedules work and is no situation report
    return [(s.start, s.end) for s in sections
            if len(s.title.split()) <= 12 and any(p in fold(s.title) for p in phrases)]


_LEADIN_LINE = regex.compile(r"(?m)^[^\n]*:[ \t]*$")


def _hedged_spans(text: str, sections, hedges: list[str]) -> list[tuple[int, int]]:
    """A lead-in "Phấn đấu ... đạt các mục tiêu sau:" hedges every item below it, to the end of its section.
    The hedge words are the targets table's own (`aspirational`, compared without diacritics as there)."""
    from ...vi import fold
    out = []
    for m in _LEADIN_LINE.finditer(text):
        if not any(h in fold(m.group()) for h in hedges):
            continue
        sec = section_at(sections, m.start())
        out.append((m.end(), sec.end if sec is not None else len(text)))
    return out


def _period(s: str) -> str | None:
    if m := _SCHOOL_YEAR.search(s):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _YEAR.search(s):
        return m.group(1)
    return None


# where a section's first line places its work: "tại bãi nuôi ngao Hải Châu - phường Ngọc Sơn" (a name, not a count)
_LEAD_SITE = regex.compile(r"(?i)\btại\s+(?P<site>\p{L}[^\d,;.:()\n\t]{2,80}?)(?=\s+[-–]\s|\s+và\s|[,;.:()\n\t]|$)")


class _Scope:
    """What a record inherits from where it stands: the period and the deadline that apply to it."""

    def __init__(self, doc: Document, sections, title: str | None, scope: Scope, rules: Rules):
        self.doc, self.text, self.sections, self.title, self.scope = doc, doc.text, sections, title, scope
        self.rules = rules
        self.deadlines: list = []

    def context(self, start: int, end: int) -> str:
        a, b = sentence_span(self.text, start, end, limit=300)
        return regex.sub(r"^[-+•*–]\s+", "", self.text[a:b])

    def subject_for(self, offset: int) -> str | None:
        """What an item counts when its own line does not say: the enclosing lettered or numbered
        subsection's title ("a) Nguồn nước cấp nuôi tôm nước lợ"), or the site its first line places that
        subject at ("1.2. Ngao" / "Điểm quan trắc: ... tại bãi nuôi ngao Hải Châu"). A title that is an
        enumerator ("Mục tiêu 4") or a long role ("Chủ trì, phối hợp với ...") passes to the section above
        (the agency whose duties it lists)."""
        numbered = [s for s in self.sections if s.number not in ("-", "+", "*", "•")]
        sec = section_at(numbered, offset)
        while sec is not None and sec.level >= 2:
            title = regex.split(r"[:.;(]", sec.title)[0].strip()
            eol = self.text.find("\n", sec.heading_end + 1)
            first_line = self.text[sec.heading_end:eol if eol != -1 else len(self.text)]
            head = title.split()[0].casefold() if title else ""
            if head and (m := _LEAD_SITE.search(first_line)) and head in m.group("site").casefold().split():
                return m.group("site").strip()
            if 2 <= len(title.split()) <= 12 and not regex.search(r"\d", title):
                return title
            parents = [s for s in numbered if s.level == sec.level - 1 and s.start <= sec.start < s.end]
            sec = parents[-1] if parents else None
        return None

    def period_for(self, offset: int) -> str | None:
        """The sentence's own period, else the nearest enclosing heading's, else the title's."""
        a, b = sentence_span(self.text, offset, offset)
        if p := _period(self.text[a:b]):
            return p
        sec = section_at(self.sections, offset)
        while sec is not None:
            if p := _period(sec.title + " " + (sec.subtitle or "")):
                return p
            parents = [s for s in self.sections if s.level == sec.level - 1 and s.start <= sec.start < s.end]
            sec = parents[-1] if parents else None
        return _period(self.title or "")

    def timeline_dates(self, t: str):
        """(start, end) of a timeline cell or a "Thời gian thực hiện:" value."""
        t = t.strip().rstrip(".;")
        r = interpret_deadline(t, self.scope, self.rules) if t else None
        if r is not None:
            return r[1], r[2]
        probe = Document(self.doc.doc_id, t, [0], self.doc.source)
        for dl in find_deadlines(probe, self.scope, [], lambda s, e: "", self.rules):
            if dl.start_date or dl.end_date:
                return dl.start_date, dl.end_date
        return None, None

    def deadline_for(self, offset: int):
        """The sentence's own deadline, else its table row's timeline cell, else the item's "Thời gian"."""
        text = self.text
        a, b = sentence_span(text, offset, offset)
        own = [d for d in self.deadlines if a <= d.start < b and (d.start_date or d.end_date)]
        if own:
            return own[0].start_date, own[0].end_date
        line_end = text.find("\n", offset)
        line = text[text.rfind("\n", 0, offset) + 1:line_end if line_end != -1 else len(text)]
        if "\t" in line:
            return self.timeline_dates(line.rstrip("\t").split("\t")[-1])
        sec = section_at(self.sections, offset)
        if sec and sec.level > 1 and (m := _TIMELINE.search(text, offset, sec.end)):
            return self.timeline_dates(m.group("t"))
        return None, None


class Run:
    """What the extraction steps of one document share: the document as the extractors read it (lookalike
    characters folded), its rules, what each step found, and what later steps derive from it (the
    preamble's end, the spans no target or deadline is taken from, the scope records inherit)."""

    def __init__(self, doc: Document, rules: Rules):
        self.doc, self.text, self.rules = doc, doc.text, rules
        self.sections: list = []
        self.meta = Metadata()
        self.mentions: list = []
        self.citations: list = []
        self.deadlines: list = []
        self.grids: list = []
        self.targets: list = []
        self.tasks: list = []

    @cached_property
    def pre_end(self) -> int:
        return preamble_end(self.sections, self.text)

    @cached_property
    def basis_end(self) -> int:
        return _basis_end(self.sections, self.pre_end)

    @cached_property
    def cited(self) -> list[tuple[int, int]]:
        """The clauses that quote another document (its numbers are not this plan's)."""
        return [(m.start, _clause_end(self.text, m.end)) for m in self.mentions]

    @cached_property
    def facts(self) -> list[tuple[int, int]]:
        """Sections that report the situation or past results."""
        return _fact_sections(self.sections, self.rules.table("sections"))

    @cached_property
    def scope(self) -> _Scope:
        meta = self.meta
        issued = meta.issued_date if meta.issued_date and len(meta.issued_date) == 10 else None
        return _Scope(self.doc, self.sections, meta.title,
                      Scope(meta.scope_start, meta.scope_end, date.fromisoformat(issued) if issued else None),
                      self.rules)


def _outline_step(r: Run) -> None:
    r.sections = parse_outline(r.doc, r.rules.table("sections"))


def _metadata_step(r: Run) -> None:
    r.meta = extract_metadata(r.doc, r.pre_end, r.basis_end, r.rules)


def _citations_step(r: Run) -> None:
    r.mentions = find_mentions(r.text, citation_rules(r.rules))
    found = find_citations(r.doc, r.basis_end, citation_rules(r.rules), mentions=r.mentions)
    reg = registry(r.rules)       # each citation checked against the registry of national documents
    issued = r.meta.issued_date[:4] if r.meta.issued_date else ""
    types = citation_rules(r.rules).symbol_types
    out: dict[str, Citation] = {}
    for c in found:
        known = check(c.key, c.doc_type, c.issued_date, c.issuer, reg)
        page = r.doc.page_of(c.start)
        scanned = page is not None and page <= len(r.doc.source.pages) and r.doc.source.pages[page - 1].ocr
        if known is None and scanned:
            # a reading that cannot be right (a year after the plan's own, a symbol that names no kind of
            # document) one letter from exactly one registry document is that document; the reading stays
            if issued.isdigit() and (fixed := misread_year(c.key, c.year, int(issued), reg)):
                c = replace(c, key=fixed[0], year=fixed[1], key_as_read=c.key)
            elif key := misread_symbol(c.key, c.symbol, types, reg):
                c = replace(c, key=key, symbol=key[len(key) - len(c.symbol.replace(" ", "")):], key_as_read=c.key)
            known = check(c.key, c.doc_type, c.issued_date, c.issuer, reg)
        same = c.key.casefold()
        if same in out:          # a second reading of a document already cited: more mentions of it
            first = out[same]
            out[same] = replace(first, mentions=first.mentions + c.mentions,
                                role="basis" if "basis" in (first.role, c.role) else first.role,
                                key_as_read=first.key_as_read or c.key_as_read)
            continue
        out[same] = replace(c, registry=known)
    r.citations = list(out.values())


def _deadlines_step(r: Run) -> None:
    tb0, tb1 = _title_block(r.text, r.pre_end)
    r.deadlines = find_deadlines(r.doc, r.scope.scope, [(0, tb0), (tb1, r.basis_end)] + r.cited + r.facts,
                                 r.scope.context, r.rules)
    r.scope.deadlines = r.deadlines           # a target inherits its sentence's deadline


def _tables_step(r: Run) -> None:
    r.grids = read_grids(r.text, r.rules)


def _targets_step(r: Run) -> None:
    rules_only = _fact_sections(r.sections, r.rules.table("sections"), "not_target_phrases")
    tr = target_rules(r.rules)
    found = find_targets(
        r.doc, [(0, r.basis_end)] + r.cited + r.facts + rules_only, r.scope.period_for, r.scope.deadline_for, tr,
        hedged=_hedged_spans(r.text, r.sections, tr.aspirational), subject_for=r.scope.subject_for,
        catalog=tr.in_topic((r.meta.title or "") + "\n" + r.text[:r.basis_end]), grids=r.grids)
    labels = r.rules.table("targets").get("indicator_labels") or {}
    r.targets = [replace(t, population_id=population_id(t.population, tr),
                         indicator_label=indicator_label(t.indicator, t.population, t.unit, labels)) for t in found]


def _tasks_step(r: Run) -> None:
    r.tasks = find_table_tasks(r.text, r.scope.timeline_dates, r.rules) + find_responsibilities(r.text, r.sections)


# the steps in order; each reads what the ones before it left on the Run
STEPS = (("sections", _outline_step), ("metadata", _metadata_step), ("citations", _citations_step),
         ("deadlines", _deadlines_step), ("tables", _tables_step), ("targets", _targets_step),
         ("tasks", _tasks_step))


def extract(doc: Document, rules: Rules | None = None) -> Extraction:
    """Outline, metadata, citations, deadlines, targets and tasks of one normalized document, under
    `rules` (a pipeline.rules.Rules; the bundled rules when None), by the STEPS in order. Each step runs
    under a guard: one that fails leaves its own table empty, is recorded in `failures` (an errors row
    with stage "extract:<step>" and the traceback's last lines), and every other table is kept."""
    import traceback

    from ...errors import StageTimeout
    rules = rules or Rules.bundled()
    # the extractors read lookalike characters folded (a non-breaking hyphen in "57‑NQ/TW", full-width
    # digits); offsets are the same, and the text written for evidence keeps what was printed
    printed = doc
    r = Run(Document(doc.doc_id, matching_view(doc.text), doc.page_starts, doc.source), rules)
    failures: list[tuple[str, str]] = []
    for name, fn in STEPS:
        try:
            fn(r)
        except (StageTimeout, MemoryError):          # the file's limits end the file, not a step
            raise
        except Exception as exc:                     # noqa: BLE001 - one step's bug must not lose the others
            tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:]).strip()
            failures.append((name, f"{type(exc).__name__}: {exc}\n{tb}"))
    return Extraction(document=printed, metadata=r.meta, sections=r.sections, citations=r.citations,
                      targets=r.targets, deadlines=r.deadlines, tasks=r.tasks, rules=rules, failures=failures,
                      grids=r.grids)
