"""All extractors over one normalized Document."""
from __future__ import annotations

import regex

from ..model import Document, Extraction
from ..outline import parse_outline, preamble_end, section_at
from ..rules import load
from .citations import find_citations, find_mentions
from .deadlines import Scope, find_deadlines, interpret_deadline
from .metadata import extract_metadata
from .targets import find_targets, sentence_span
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


def _fact_sections(sections) -> list[tuple[int, int]]:
    """Spans of sections that describe the current situation (their numbers are facts, not goals)."""
    from ..extract.dates import fold
    phrases = [fold(p) for p in load("sections").get("not_goal_phrases", [])]
    return [(s.start, s.end) for s in sections if any(p in fold(s.title) for p in phrases)]


def _period(s: str) -> str | None:
    if m := _SCHOOL_YEAR.search(s):
        return f"{m.group(1)}-{m.group(2)}"
    if m := _YEAR.search(s):
        return m.group(1)
    return None


def extract(doc: Document) -> Extraction:
    text = doc.text
    sections = parse_outline(doc)
    pre_end = preamble_end(sections, text)
    meta = extract_metadata(doc, pre_end)
    citations = find_citations(doc, pre_end)
    cited = [(m.start, _clause_end(text, m.end)) for m in find_mentions(text)]
    tb0, tb1 = _title_block(text, pre_end)
    scope = Scope(meta.scope_start, meta.scope_end)

    def context(s, e):
        a, b = sentence_span(text, s, e, limit=300)
        return text[a:b]

    facts = _fact_sections(sections)
    deadline_blocked = [(0, tb0), (tb1, pre_end)] + cited + facts
    deadlines = find_deadlines(doc, scope, deadline_blocked, context)

    def period_for(offset: int) -> str | None:
        a, b = sentence_span(text, offset, offset)
        if p := _period(text[a:b]):
            return p
        sec = section_at(sections, offset)
        while sec is not None:
            if p := _period(sec.title + " " + (sec.subtitle or "")):
                return p
            parents = [s for s in sections if s.level == sec.level - 1 and s.start <= sec.start < s.end]
            sec = parents[-1] if parents else None
        return _period(meta.title or "")

    def timeline_dates(t: str):
        t = t.strip().rstrip(".;")
        r = interpret_deadline(t, scope) if t else None
        if r is None:
            for dl in find_deadlines(Document(doc.doc_id, t, [0], doc.source), scope, [], lambda s, e: ""):
                if dl.start_date or dl.end_date:
                    return dl.start_date, dl.end_date
            return None, None
        return r[1], r[2]

    def deadline_for(offset: int):
        a, b = sentence_span(text, offset, offset)
        own = [d for d in deadlines if a <= d.start < b and (d.start_date or d.end_date)]
        if own:                                  # "... trước ngày 30/10/2025": the sentence's own deadline
            return own[0].start_date, own[0].end_date
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        line = text[line_start:line_end if line_end != -1 else len(text)]
        if "\t" in line:
            last = line.rstrip("\t").split("\t")[-1]
            return timeline_dates(last)
        sec = section_at(sections, offset)
        if sec and sec.level > 1:
            m = _TIMELINE.search(text, offset, sec.end)
            if m:
                return timeline_dates(m.group("t"))
        return None, None

    target_blocked = [(0, pre_end)] + cited + facts
    targets = find_targets(doc, target_blocked, period_for, deadline_for)
    tasks = find_table_tasks(text, timeline_dates) + find_responsibilities(text, sections)
    return Extraction(document=doc, metadata=meta, sections=sections, citations=citations,
                      targets=targets, deadlines=deadlines, tasks=tasks)
