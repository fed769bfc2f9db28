"""Targets: find quantities stated as goals (percentages, counts), then read comparator, unit, population."""
from __future__ import annotations

import bisect

from dataclasses import dataclass
from functools import lru_cache

import regex

from ...model import Document, Target
from ..nlp import sentence_bounds
from ...rules import Rules
from ...vi import alternation, fold
from .grids import row_at, row_sentence, table_targets
from .spans import SpanSet, after_last, first_of

_NUM = r"\d{1,3}(?:[.,]\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?"
_PERCENT = regex.compile(
    rf"(?<![\d/.,\p{{L}}])(?P<v1>{_NUM})(?:[ ]*%?[ ]*(?:-|–|—|đến)[ ]*(?P<v2>{_NUM}))?[ ]*%")
_PAST_YEAR_AFTER = regex.compile(r"^[^;\n\t(]{0,40}\(\s*(?:năm\s+)?(?P<y>(?:19|20)\d{2})\s*\)")
_QUOTE_SPAN = regex.compile(r"[“\"‘][^“”\"‘’\n\t]{1,200}(?:[”\"’]|(?=[(;\n]))")   # never across a cell


@dataclass(frozen=True)
class TargetRules:
    comparators: list[tuple[str, str]]
    quantifiers: list[str]
    aspirational: list[str]
    not_units: list[str]
    multipliers: dict
    stop: regex.Pattern
    populations: list[dict]
    indicators: list[dict]
    site_measures: tuple[str, ...] = ()
    admin_units: regex.Pattern | None = None
    catalog_topic: tuple[str, ...] = ()      # folded phrases: a plan naming one is within the catalog's topic
    g: Grammar | None = None                  # the clause grammar (compile_grammar)

    def in_topic(self, text: str) -> bool:
        low = fold(text)
        return not self.catalog_topic or any(p in low for p in self.catalog_topic)


@dataclass(frozen=True)
class Grammar:
    """The clause grammar around a number (the `grammar` table of targets.yaml) compiled into the
    patterns the extractor reads clauses with; each names its word classes."""
    lead_quant: regex.Pattern        # determiners and count nouns before a population ("các", "số")
    predicate: regex.Pattern         # a level or change verb after the subject
    predicate_before: regex.Pattern  # a level verb (and its qualifiers) right before the number
    not_noun_start: regex.Pattern    # what a population phrase cannot start with
    subject_lead: regex.Pattern      # lead-ins before a clause's subject
    rate_lead: regex.Pattern         # a rate's head noun opening the clause
    existential: regex.Pattern       # "có (ít nhất)": a clause with no subject
    area: regex.Pattern              # "trên địa bàn X"
    measure_label: regex.Pattern     # a measure noun opening a population ("Tỷ lệ học sinh")
    leading_quant: regex.Pattern     # quantifiers left out of a derived indicator's phrase
    adjunct: regex.Pattern           # a predicate's adjuncts
    function_words: frozenset        # folded syllables left out of a derived indicator's predicate
    subject_count: regex.Pattern     # "số lượng X đạt N"
    baseline_after: regex.Pattern    # "từ A xuống B": A is a baseline
    status_before: regex.Pattern     # "Đến nay ...": a status, not a goal
    count: regex.Pattern             # a number and what follows it, with a scale word that multiplies
    decrease: regex.Pattern          # a verb of decrease in the clause
    decrease_end: regex.Pattern      # ... and the word that brings it down right before the number
    naming_end: regex.Pattern        # a noun the number names ("số 12", "ngày 5")
    per_period: regex.Pattern        # "mỗi quý ...": a rate per period before the number
    site_after: regex.Pattern        # "tại X" after a count
    list_opener: regex.Pattern       # "gồm", "như", "ở" after a measure of place
    served_by: regex.Pattern         # "cho X": what an area serves
    time_adjunct: regex.Pattern      # "đến năm 2030" inside a subject
    owner_body: regex.Pattern        # "của tỉnh", "của đơn vị": an owner that is a place or body


def compile_grammar(g: dict, multipliers=()) -> Grammar:
    def words(name: str, key: str = "words") -> str:
        return alternation((g.get(name) or {}).get(key))
    level, change, qual = words("level_verbs"), words("change_verbs"), words("level_qualifiers")
    count, rate, share = words("count_nouns"), words("rate_words"), words("share_nouns")
    # a one-syllable count noun ("số") before a measure of time is the measured quantity itself ("số giờ");
    # a compound one ("số lượng", "tổng số") always counts what follows
    nouns = (g.get("count_nouns") or {}).get("words") or ()
    measured = rf"(?!\s+(?:{words('time_measures')})(?!\p{{L}}))"
    compound = alternation(w for w in nouns if " " in w.strip())     # alternation never matches when empty
    single = alternation(w for w in nouns if " " not in w.strip())
    counting = rf"(?:{compound})|(?:{single}){measured}"
    marker = r"[\s\-+*•–]*(?:[a-zđ]\)\s*|\d+(?:\.\d+)*[.)]\s*)?"
    return Grammar(
        lead_quant=regex.compile(rf"(?i)^(?:(?:{words('determiners')}|{counting})\s+)+"),
        predicate=regex.compile(rf"(?i)\s(?:{level}|{change})(?=[\s,])"),
        predicate_before=regex.compile(rf"(?i)\s(?:{level})(?:\s+(?:{qual}))*\s*$"),
        not_noun_start=regex.compile(rf"(?i)^(?:/|(?:{words('not_noun_start')})(?!\p{{L}}))"),
        subject_lead=regex.compile(
            r"(?i)^(?:\s|[-+*•–]|[a-zđ]\)|\d+(?:\.\d+)*[.)]|đến\s+(?:hết\s+|cuối\s+)?năm\s+\d{4},?"
            r"|(?:vào\s+)?năm\s+\d{4},?|chỉ\s+tiêu\s+\d+\s*:|mục\s+tiêu\s+\d+\s*:"
            rf"|(?:{words('subject_lead_ins')})(?!\p{{L}}),?|(?:{share})(?!\p{{L}})|(?:{counting})(?=\s))+"),
        rate_lead=regex.compile(rf"(?i)^{marker}(?:{rate})\s"),
        existential=regex.compile(rf"(?i)[\s,]*(?:{words('existential')})(?:\s+(?:{words('existential', 'quantifiers')}))?\s*"),
        area=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('area', 'prepositions')})\s+(?P<p>(?:{words('area')})\s+\p{{L}}[^,;.:()\n\t]{{0,60}})"),
        measure_label=regex.compile(rf"(?i)^(?:{share}|{count})\s+(?=\p{{L}})"),
        leading_quant=regex.compile(rf"(?i)^(?:(?:{words('determiners')}|{words('distributives')}|100%|{share}|{count})\s+)+"),
        adjunct=regex.compile(rf"(?i)\s(?:{words('adjuncts')})\s"),
        function_words=frozenset(fold(w) for w in (g.get("function_words") or {}).get("words") or ()),
        subject_count=regex.compile(
            rf"(?i)(?<!\p{{L}})(?:{count})\s+(?P<noun>[^,;.:\n\t\d]{{2,50}}?)\s+"
            rf"(?:{words('count_verbs')})\s+(?:(?:{qual})\s+)?"
            rf"(?P<v>{_NUM})(?=\s*(?:[,;.)\n]|$|trở\s+lên))"),
        baseline_after=regex.compile(
            rf"(?i)^(?:[^;.\n\t]|(?<=\d)\.(?=\d)){{0,80}}?\s(?:{words('baseline_ends')})\s+(?:(?:{words('baseline_qualifiers')})\s+)?\d"),
        status_before=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('status_words')})(?!\p{{L}})"),
        count=regex.compile(
            rf"(?<![\d/.,:\p{{L}}])(?P<v1>{_NUM})(?:[ ]*(?:-|–|—|đến)[ ]*(?P<v2>{_NUM}))?"
            rf"(?:\s+(?P<mult>{alternation(multipliers)})(?!\s+(?i:{words('currencies')})(?!\p{{L}})))?"
            r"(?:[ ]+(?P<rest>\p{L}[^\n\t]{0,80})|(?P<rest>/[ ]*\d[\d.,]*[ ]+\p{L}[^\n\t]{0,80}))"),
        decrease=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('decrease')})(?!\p{{L}})"),
        decrease_end=regex.compile(rf"(?i)(?:{words('decrease', 'ends')})(?:\s+\S+){{0,2}}\s*$"),
        naming_end=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('naming_nouns')})$"),
        per_period=regex.compile(
            rf"(?i)(?<!\p{{L}})(?:{words('distributives')})\s+(?P<period>{words('periods')})(?!\p{{L}})[^;.\n\t]{{0,40}}$"),
        site_after=regex.compile(
            rf"(?i)^\s*(?:{words('site', 'prepositions')})\s+(?P<site>[^,;.:()\n\t]{{3,120}}?)(?=\s+và\s|\s+-\s|[,;.:()\n\t]|$)"),
        list_opener=regex.compile(rf"(?i)(?:{words('site', 'list_openers')})(?!\p{{L}})"),
        served_by=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('site', 'served_by')})\s+(?:\d+\s+)?(?P<p>\S.*)$"),
        time_adjunct=regex.compile(rf"\s(?:{words('time_adjuncts')})\s+(?:hết\s+|cuối\s+)?"
                                   rf"(?:{words('time_adjuncts', 'periods')})\s+(?:19|20)\d{{2}}"),
        owner_body=regex.compile(rf"(?i)(?:{words('owner_bodies')})(?!\p{{L}})"),
    )


def target_rules(rules: Rules) -> TargetRules:
    """The targets table of `rules`, compiled once per Rules object."""
    return rules.compiled(_compile)


def _compile(rules: Rules) -> TargetRules:
    return compile_target_rules(rules.table("targets"))


def load_rules() -> TargetRules:
    """The bundled target rules (extraction passes its own Rules object)."""
    return target_rules(Rules.bundled())


def compile_target_rules(d: dict) -> TargetRules:
    """The targets table compiled (see target_rules)."""
    comps = sorted(((w, c["comparator"]) for c in d["comparators"] for w in c["words"]), key=lambda x: -len(x[0]))
    # a noun phrase ends at a stop word, or at an adjective that opens its own complement ("01 mô hình phù hợp với ...")
    ends = [*d["stop_words"], *(((d.get("grammar") or {}).get("complement_adjectives") or {}).get("words") or ())]
    stop = regex.compile(r"\s(?:" + "|".join(regex.escape(w) for w in sorted(ends, key=len, reverse=True)) + r")(?!\p{L})")
    admin = d.get("admin_units") or []
    admin_rx = regex.compile(r"(?i)^(?:" + "|".join(regex.escape(w) for w in sorted(admin, key=len, reverse=True))
                             + r")(?!\p{L})") if admin else None
    return TargetRules(comps, sorted(d["count_quantifiers"], key=len, reverse=True), [fold(a) for a in d["aspirational"]],
                       d["not_units"], d["multipliers"], stop, d["populations"], d["indicators"],
                       tuple(sorted(d.get("site_measures") or [], key=len, reverse=True)), admin_rx,
                       tuple(fold(p) for p in d.get("catalog_topic") or ()), compile_grammar(d.get("grammar") or {}, d["multipliers"]))


def _to_float(s: str) -> float:
    if regex.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s):
        return float(regex.sub(r"[.,]", "", s))
    return float(s.replace(",", "."))


_WORD = regex.compile(r"\p{L}{2,}")


@lru_cache(maxsize=4096)
def _starts(bounds: tuple) -> list[int]:
    return [a for a, _ in bounds]


def sentence_span(text: str, start: int, end: int, limit: int = 600) -> tuple[int, int]:
    """The sentence around [start, end): within its line or table cell, split into sentences
    (pipeline.understand.nlp), at most `limit` chars (cut at ';' first, then a window around the match)."""
    para_l = after_last(text, "\n\t\f", start)
    para_r = first_of(text, "\n\t\f", end)
    left, right = para_l, para_r
    bounds = sentence_bounds(text[para_l:para_r])
    # the sentence holding start, found by bisection (a paragraph of thousands of sentences, a flood of
    # "100%", must not cost a scan per target)
    k = bisect.bisect_right(_starts(bounds), start - para_l) - 1
    for a, b in bounds[max(k, 0):max(k, 0) + 2]:
        if para_l + a <= start < para_l + b:
            left, right = para_l + a, max(para_l + b, min(end, para_r))
            break
    if right - left > limit:
        semi_l = text.rfind(";", left, start)
        semi_r = text.find(";", end, right)
        left = semi_l + 1 if semi_l != -1 else left
        right = semi_r if semi_r != -1 else right
    if right - left > limit:
        left = max(left, start - limit // 2)
        right = min(right, left + limit)
    while left < right and text[left].isspace():
        left += 1
    return left, right


def _phrase(text: str, rules: TargetRules, max_words: int = 10) -> str:
    """Noun phrase at the start of text: stops at a stop word, punctuation or max_words."""
    m = rules.stop.search(" " + text, 1)   # a stop word first is the head noun itself ("tổ chức Đảng")
    cut = text[: m.start() - 1] if m else text
    cut = regex.split(r"(?<!\d)\.|\.(?!\d)|[;:()\n\t“”\"!?]|\s[-–]\s|,\s+(?=\p{Ll}+\s+\p{Ll}+\s+(?:được|có|tham))", cut)[0]
    words = cut.split()[:max_words]
    out = " ".join(words).strip(" ,-–")
    return rules.g.lead_quant.sub("", out)


def _subject_before(text: str, clause_start: int, num_start: int, rules: "TargetRules") -> str:
    """The subject of "X đạt 50%": the clause's noun phrase before its predicate, without lead-ins."""
    clause = text[clause_start:num_start]
    if m := list(rules.g.predicate.finditer(clause)):
        clause = clause[:m[-1].start()]
    rate = rules.g.rate_lead.match(clause)
    clause = rules.g.subject_lead.sub("", clause)
    clause = regex.sub(r"^[\s,:]+", "", clause)
    clause = clause[:_adjunct_at(clause, rules)]
    if rate and (among := regex.search(r"\sở\s+(?=\p{L})", clause)):
        clause = clause[among.end():]
    elif rate and (owner := regex.search(r"\scủa\s+(?=\p{L})", clause)):
        # "Tỷ lệ hài lòng của người dân": a rate of a state its owner is in; the owner is the population
        # when it is one the vocabulary knows and the head is not ("Tỷ lệ học sinh của nhà trường" keeps
        # "học sinh")
        after = clause[owner.end():]
        if _population_label(clause[:owner.start()], rules)[0] is None and _phrase(after, rules) \
                and not (rules.admin_units and rules.admin_units.match(after)) and not rules.g.owner_body.match(after):
            clause = after
    if rate and rules.stop.match(" " + clause):
        return ""       # "tỷ lệ hoàn thành ...": a verb, the subject is elided (the clause before names it)
    return _phrase(clause, rules) if clause else ""


def _adjunct_at(subject: str, rules: "TargetRules", first: int = 1) -> int:
    """Where a subject's noun phrase (or a predicate) ends before a time adjunct or a hedge said inside it
    (the hedge and the time belong to the clause, not to what is measured); its length when there is none.
    A hedge is looked for from the `first` word on (a subject's first word is its head noun)."""
    end = m.start() if (m := rules.g.time_adjunct.search(subject)) else len(subject)
    words = list(regex.finditer(r"\S+", subject[:end]))
    folded = [fold(w.group()) for w in words]
    for i in range(first, len(words)):
        if any(" ".join(folded[i:i + len(a.split())]) == a for a in rules.aspirational):
            return words[i].start()
    return end


_LABEL = regex.compile(r"^[\s\-+*•–]*(?:[a-zđ]\)\s*|\d+(?:\.\d+)*[.)]\s*)?(?P<label>[^:\n\t]{3,60}?)\s*:\s*\S")


def _count_population(text: str, h: "_Hit", rules: "TargetRules") -> str:
    """Who or where a count is about: the subject of "X đạt 400 triệu USD", the site of "01 vị trí tại X",
    else the line's label ("Cửa sông Mã: Lấy mẫu 01 vị trí")."""
    clause_start = _clause_start(text, h.start)
    g = rules.g
    if g.predicate_before.search(text[max(0, h.start - 40):h.start]) or g.rate_lead.match(text[clause_start:h.start]):
        if pop := _subject_before(text, clause_start, h.start, rules):
            return pop
    if g.existential.fullmatch(g.subject_lead.sub("", text[clause_start:h.start])):
        # "Hằng năm có ít nhất 01 sáng kiến ... trên địa bàn xã": what there is, is counted where it is
        end = first_of(text, ";.\n\t", h.end)
        if m := g.area.search(text, h.end, end):
            return _phrase(m.group("p"), rules)
    label = _label_population(text, h)
    if label and not (rules.admin_units and rules.admin_units.match(label)):
        return label
    unit_end = h.end + 1 + len(h.unit)
    if h.unit in rules.site_measures:
        # "01 vị trí vùng nuôi tôm Nga Tân": the positions of the site named after the measure noun
        after = text[unit_end:unit_end + 160].lstrip(" ")
        if regex.match(r"\p{L}", after) and not g.not_noun_start.match(after) and not g.list_opener.match(after):
            if site := _phrase(after, rules):
                return site
    if m := g.site_after.match(text[unit_end:unit_end + 160]):
        site = m.group("site").strip()
        # "tại khu vực nước cấp chung cho vùng nuôi tôm X": the area is named by what it serves
        if served := g.served_by.search(site):
            site = served.group("p")
        return g.lead_quant.sub("", site)
    return ""


def _row_name(row: str) -> str:
    """The row's subject: its first cell with words (after the TT number), when that is a name, not a
    sentence (a task's long description names no population; the columns after it are other roles)."""
    for cell in row.split("\t"):
        if not regex.search(r"\p{L}{2,}", cell):
            continue
        name = cell.split(":")[0].strip(" -+•")
        ok = regex.search(r"\p{L}{2,}.*\p{L}{2,}", name) and not regex.search(r"\d", name) and len(name) <= 80
        return name if ok else ""
    return ""


def _label_population(text: str, h: "_Hit") -> str:
    """A line's label naming a place or body ("Cửa sông Mã: Lấy mẫu 01 vị trí"), or a table row's first
    text cell; a generic field name ("Các thông số:", "Điểm quan trắc:") names nothing."""
    line_start = after_last(text, "\n\f", h.start)
    line_end = min([i for i in (text.find("\n", h.start), text.find("\f", h.start)) if i != -1] or [len(text)])
    if "\t" in text[line_start:line_end]:
        # a table row: what its first text cell names ("Môi trường nuôi ngao: 04 bãi nuôi ngao ..."); a row
        # with fewer cells sits under a merged cell and takes the name of the fuller row above it
        row = text[line_start:line_end]
        n = row.count("\t")
        pos = line_start
        while pos > 0:
            prev_start = after_last(text, "\n\f", pos - 1)
            prev = text[prev_start:pos - 1]
            if "\t" not in prev:
                break
            if prev.count("\t") > n:
                row = prev
                break
            pos = prev_start
        return _row_name(row)
    m = _LABEL.match(text[line_start:h.start])
    if not m or regex.search(r"\d", m.group("label")):
        return ""
    label = m.group("label").strip()
    return label if regex.search(r"\s\p{Lu}\p{Ll}", label) else ""


def _clause_start(text: str, pos: int) -> int:
    return after_last(text, ";:\n\t\f", pos)


def _clause_stop(text: str, pos: int, limit: int = 300) -> int:
    m = regex.compile(r"[;\n\t\f]|\.(?:\s|$)").search(text, pos, min(len(text), pos + limit))
    return m.start() if m else min(len(text), pos + limit)


@lru_cache(maxsize=4096)
def _ending_with(word: str) -> regex.Pattern:
    """A text that ends with `word` (folded) as a whole word."""
    return regex.compile(rf"(?<!\p{{L}}){regex.escape(fold(word))}$")


@lru_cache(maxsize=64)
def _ending_with_any(words: tuple[str, ...]) -> regex.Pattern:
    """A text that ends with one of `words` (folded) as a whole word."""
    return regex.compile(r"(?<!\p{L})(?:" + "|".join(regex.escape(fold(w)) for w in words) + ")$")


@lru_cache(maxsize=64)
def _starting_with_any(words: tuple[str, ...]) -> regex.Pattern:
    """A text that starts with one of `words` as a whole word."""
    return regex.compile("(?:" + "|".join(regex.escape(w) for w in words) + r")(?!\p{L})")


@lru_cache(maxsize=4096)
def _whole_word(phrase: str) -> regex.Pattern:
    return regex.compile(rf"(?<!\p{{L}}){regex.escape(phrase)}(?!\p{{L}})")


def _comparator(before: str, rules: TargetRules) -> str | None:
    """Compared without diacritics, so OCR's "tối thiếu" still reads as "tối thiểu"."""
    tail = fold(before).rstrip()
    for word, comp in rules.comparators:
        if _ending_with(word).search(tail):
            return comp
    return None


def _is_aspirational(sentence_before: str, rules: TargetRules) -> bool:
    f = fold(sentence_before)
    return any(a in f for a in rules.aspirational)


def _population_label(phrase: str, rules: TargetRules) -> tuple[str | None, str | None]:
    """The population whose phrase comes first in the text ("cha mẹ trẻ" is parents, not children)."""
    low = phrase.casefold()
    best = None
    for p in rules.populations:
        for x in p["phrases"]:
            m = _whole_word(x).search(low)
            if m and (best is None or (m.start(), -len(x)) < best[0]):
                best = ((m.start(), -len(x)), p)
    return (best[1]["id"], best[1]["label"]) if best else (None, None)


def _indicator(unit: str, pop_id: str | None, clause: str, context: str, rules: TargetRules) -> str | None:
    """The catalog entry for what a target measures: its unit; or its population and a measure phrase met in
    its own clause, then in its sentence or table row; or its population alone."""
    for ind in rules.indicators:
        if "units" in ind and unit in ind["units"]:
            return ind["id"]
        if "unit_phrases" in ind and unit != "%" and any(unit.startswith(u) for u in ind["unit_phrases"]):
            return ind["id"]
    if pop_id is None:
        return None
    for text in (clause, context):
        low = fold(text)
        for ind in rules.indicators:
            measures = ind.get("measures") or ind.get("phrases")
            if measures and pop_id in ind.get("populations", ()) and any(fold(m) in low for m in measures):
                return ind["id"]
    return next((ind["id"] for ind in rules.indicators
                 if not (ind.get("measures") or ind.get("phrases")) and pop_id in ind.get("populations", ())), None)


def predicate(clause: str, population: str | None, rules: TargetRules, words: int = 4) -> str:
    """What the clause says its population does or has, before any adjunct: "100% cơ sở giáo dục tuyên
    truyền và phổ biến tài liệu" -> "tuyên truyền phổ biến tài liệu" (function words and hedges left out)."""
    if not population:
        return ""
    if m := regex.search(r"\s+".join(regex.escape(w) for w in population.split()), clause, regex.I):
        rest = clause[m.end():]
    else:       # found only without diacritics: read on in the folded text (fold may change its length)
        at = fold(clause).find(fold(population))
        if at < 0:
            return ""
        rest = fold(clause)[at + len(fold(population)):]
    rest = " " + rest
    if m := rules.g.predicate.search(rest):      # a subject before its level verb: what it says ends there
        rest = rest[:m.start()] + " "
    rest = rest[:_adjunct_at(rest, rules, first=0)]      # and before a time adjunct or a hedge
    return _said(rules.g.adjunct.split(rest, maxsplit=1)[0], rules, words)


def _said(phrase: str, rules: TargetRules, words: int = 4) -> str:
    """A predicate as a key's words: folded syllables, function words left out, the first `words`."""
    return " ".join([w for w in regex.findall(r"\p{L}+", fold(phrase)) if w not in rules.g.function_words][:words])


def _measure(text: str, clause_at: int, h: "_Hit", stop: int, population: str | None, rules: TargetRules) -> str:
    """What the target's clause says of its population: after the number ("100% học sinh được học ...")
    or, when the population is the subject before it, between the subject and the number ("Tỷ lệ người
    dân thành thạo kỹ năng số đạt 70%": "thành thạo kỹ năng số", so it is not "người dân sử dụng VNeID")."""
    before = text[clause_at:h.start]
    if population and fold(population) in fold(before):
        if m := regex.search(r"(?P<x>\S[^;:\n\t]*?)\s+của\s+" + regex.escape(population), before):
            # "Tỷ lệ thành thạo kỹ năng số của người dân": what is measured is said before its owner
            return _said(rules.g.subject_lead.sub("", m.group("x")), rules)
        return predicate(before, population, rules)
    return predicate(text[h.start:stop], population, rules)


def derived_indicator(population: str | None, unit: str, rules: TargetRules, measure: str = "") -> str | None:
    """A key for a measure no catalog entry covers: the measured noun phrase (without quantifiers, numbers
    and brackets' hedges) and what is said of it (its predicate, when the clause has one), folded to ASCII,
    and the unit's kind ("share" for %, else the unit), so that "Tỷ lệ người dân có chữ ký số" in two plans
    meets, and "giáo viên" and "học sinh", or schools that spread materials and schools that run contests,
    do not."""
    if not population:
        return None
    phrase = rules.g.leading_quant.sub("", population.strip()) + " " + measure
    phrase = regex.sub(r"(?<![\p{L}\d])\d+(?:[.,]\d+)*(?![\p{L}\d])\s*%?", " ", phrase)   # "5G" stays
    words = regex.findall(r"[\p{L}\d]+", fold(phrase))[:12]
    if not words:
        return None
    kind = "share" if unit == "%" else "_".join(regex.findall(r"\p{L}+", fold(unit or "")))[:30] or "count"
    return "_".join(words) + "__" + kind


@dataclass
class _Hit:
    start: int
    end: int
    v1: float
    v2: float | None
    unit: str
    comparator: str
    population: str


def _falling(text: str, pos: int, rules: TargetRules) -> str | None:
    """A number the clause brings down to ("giảm ... xuống 18", "giảm ... còn 1,7") is an upper bound."""
    clause = text[_clause_start(text, pos):pos]
    return "<=" if rules.g.decrease.search(clause) and rules.g.decrease_end.search(clause) else None


def _not_a_goal(text: str, start: int, end: int, rules: TargetRules) -> bool:
    """A baseline ("từ 23 ... xuống 18"), a status ("Đến nay có ..."), or a past year's figure ("85% (năm 2024)")."""
    before = text[max(0, start - 12):start].casefold()
    if before.rstrip().endswith("từ") and rules.g.baseline_after.match(text[end:end + 120]):
        return True
    a = after_last(text, ".;\n\t\f", start)
    if rules.g.status_before.search(text[a:start]):
        return True
    return bool(_PAST_YEAR_AFTER.match(text[end:end + 60]))


def _percent_hits(text: str, rules: TargetRules, blocked) -> list[_Hit]:
    hits = []
    for m in _PERCENT.finditer(text):
        if m.start() in blocked:
            continue
        v1 = _to_float(m.group("v1"))
        v2 = _to_float(m.group("v2")) if m.group("v2") else None
        if v1 > 100 or (v2 is not None and v2 <= v1):
            v2 = None if v2 is not None and v2 <= v1 else v2
            if v1 > 100:
                continue
        if not _WORD.search(text, max(0, m.start() - 80), m.end() + 80) and row_at(text, m.start()) is None:
            continue        # no word near it: a run of numbers, nothing measured (see find_targets)
        if _not_a_goal(text, m.start(), m.end(), rules):
            continue
        before = text[max(0, m.start() - 25):m.start()]
        comp = "range" if v2 is not None else (_comparator(before, rules) or _falling(text, m.start(), rules) or ">=")
        after = text[m.end():m.end() + 160].lstrip()
        pop = "" if rules.g.not_noun_start.match(after) else _phrase(after, rules)
        if not pop:
            # "Tỷ lệ trẻ 5 tuổi ... đạt từ 70% trở lên": the population is named before the number
            pop = _subject_before(text, _clause_start(text, m.start()), m.start(), rules)
        hits.append(_Hit(m.start(), m.end(), v1, v2, "%", comp, pop))
    return hits


def _count_hits(text: str, rules: TargetRules, blocked) -> list[_Hit]:
    hits = []
    for m in rules.g.count.finditer(text, overlapped=True):     # a rejected year must not hide the number after it
        if m.start() in blocked:
            continue
        raw = m.group("v1")
        before = text[max(0, m.start() - 30):m.start()].casefold().rstrip()
        folded = fold(before)
        rest = m.group("rest")
        is_rate = bool(regex.match(r"[^\s/,;.]+(?:\s[^\s/,;.]+){0,3}\s*/|/", rest))
        quantified = bool(_ending_with_any(tuple(rules.quantifiers)).search(folded))
        if not (quantified or is_rate or (raw.startswith("0") and len(raw) == 2)):
            continue
        if regex.match(r"(?:19|20)\d{2}$", raw) or rules.g.naming_end.search(before):
            continue
        if _not_a_goal(text, m.start(), m.end("v1"), rules):
            continue
        rank = regex.search(r"(?i)\b(?:top|tốp)$", before)
        unit = "top" if rank else _unit(rest, rules)
        if "/" not in unit and (per := rules.g.per_period.search(text[max(0, m.start() - 60):m.start()])):
            unit = f"{unit}/{per.group('period').casefold()}"        # "mỗi quý có ít nhất 04 tin, bài" -> tin, bài/quý
        if not unit or _starting_with_any(tuple(rules.not_units)).match(unit):
            continue
        v1 = _to_float(raw) * rules.multipliers.get(m.group("mult") or "", 1)
        v2 = _to_float(m.group("v2")) if m.group("v2") else None
        comp = "range" if v2 is not None else (_comparator(before, rules) or _falling(text, m.start(), rules) or ">=")
        pop = _phrase(rest, rules) if rank else ""
        hits.append(_Hit(m.start(), m.end("v2") if m.group("v2") else m.end("v1"), v1, v2, unit, comp, pop))
    for m in rules.g.subject_count.finditer(text):
        # the counted noun before the number: "Số lượng sản phẩm OCOP đạt 150"
        s = m.start("v")
        if s in blocked or _not_a_goal(text, s, m.end("v"), rules):
            continue
        noun = rules.g.lead_quant.sub("", m.group("noun").strip())
        comp = _comparator(text[max(0, s - 30):s], rules) or ">="
        hits.append(_Hit(s, m.end("v"), _to_float(m.group("v")), None, noun.casefold(), comp, noun))
    return hits


_RATE = regex.compile(
    r"(?P<num>[^\s/,;.()]+(?:\s[^\s/,;.()]+){0,3})?/(?P<den>(?P<dnum>\d[\d.,]*\s*)?[^\s/,;.()]+"
    r"(?:/[^\s/,;.()]+|\s[^\s/,;.()]+(?=\s*[)\];,.]|\s*$))?)")


def _unit(rest: str, rules: TargetRules) -> str:
    """The counted noun after a number, lower case: "tin/bài/tháng", "triệu usd", "ca sinh/1.000 phụ nữ".
    A capitalized word after the noun starts a name ("vị trí vùng nuôi tôm Nga Tân" -> "vị trí")."""
    rest = regex.sub(r"\s*/\s*", "/", rest)
    if rate := _RATE.match(rest):
        num_words = (rate.group("num") or "").split()
        den = rate.group("den")
        if regex.fullmatch(r"0?1\s*", rate.group("dnum") or "x"):
            den = den[len(rate.group("dnum")):]           # "mẫu/01 kv", "mẫu/1ao": per one is just per
        unit = f"{rate.group('num') or ''}/{den}"
        if rate.group("dnum") and not regex.fullmatch(r"0?1\s*", rate.group("dnum")):
            # "/1.000 phụ nữ": the denominator's noun follows its number, as long as the numerator's
            tail = _phrase(rest[rate.end():], rules, max_words=max(len(num_words) - 1, 0) if num_words else 4)
            if tail and not rest[rate.end():].startswith((",", ";")):
                unit = f"{unit} {tail}"
        return unit.casefold().strip()
    # a comma that opens another quantified clause ends the unit ("triệu USD, tốc độ tăng 05%")
    if (comma := regex.search(r",\s", rest)) and regex.search(r"\d", regex.split(r"[;.\n]", rest[comma.end():])[0]):
        rest = rest[:comma.start()]
    phrase = _phrase(rest, rules, max_words=8)
    words = phrase.split()
    out = []
    for i, w in enumerate(words):
        if i and (w[:1].isupper() and not w.isupper() or w.casefold() in ("gồm", "và", "hoặc", "mỗi")):
            break
        out.append(w)
    unit = " ".join(out).casefold().strip(" ,")
    # a measure noun of place counts positions of the site after it: "vị trí vùng nuôi nội đê" -> "vị trí"
    return next((m for m in rules.site_measures if unit.startswith(m + " ")), unit)


# a list item's marker is layout, not part of its sentence (and would read as a formula in a spreadsheet)
_LIST_MARK = regex.compile(r"^[-+•*–]\s+")
_UNIT_CELL = regex.compile(r"(?i)^(?:%|tỷ\s+lệ\s*(?:\(%\)|%)?)$")
_UNIT_HEAD = regex.compile(r"(?i)đơn\s+vị\s+tính|^\s*đvt\s*$")
_NUMBER_CELL = regex.compile(rf"^(?:{_NUM})$")
_YEAR = regex.compile(r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?")


def find_targets(doc: Document, blocked: list[tuple[int, int]], period_for, deadline_for,
                 rules: TargetRules, hedged: list[tuple[int, int]] = (),
                 subject_for=None, catalog: bool = True, grids: list = ()) -> list[Target]:
    """Quantities stated as goals, outside blocked spans (preamble, citations, quoted names).

    period_for(offset) and deadline_for(offset) give the scope inherited from the context; `catalog` says
    whether the indicator catalog applies (the plan is within its topic), else every key is derived.
    """
    text = doc.text
    blocked = SpanSet(list(blocked) + [(m.start(), m.end()) for m in _QUOTE_SPAN.finditer(text)])
    cells = table_targets(text, _to_float, blocked, grids or ())
    claimed = SpanSet((c.start, c.end) for c in cells)
    hits = sorted((h for h in _percent_hits(text, rules, blocked) + _count_hits(text, rules, blocked)
                   if h.start not in claimed), key=lambda h: h.start)
    # overlapping scans find the second number of a range ("02 – 03") again: it belongs to the first hit
    kept, reach, start, reach_here = [], -1, None, -1
    for h in hits:                              # sorted by start: one pass; reach = end of the hits before
        if h.start != start:
            start, reach = h.start, max(reach, reach_here)
        reach_here = max(reach_here, h.end)
        if h.start >= reach:
            kept.append(h)
    hits = kept
    out: list[Target] = []
    last_pop: dict[tuple[int, int], str] = {}
    for h in hits:
        s0, s1 = sentence_span(text, h.start, h.end)
        sentence = text[s0:s1]
        if not _WORD.search(sentence) and row_at(text, h.start) is None:
            continue        # a number in a run of numbers with no word around it measures nothing
        if (row := row_at(text, h.start)) is not None:    # a table cell's sentence is its row's cells
            sentence = row_sentence(row, next((c for c in row.cells if c.start <= h.start < c.end + 1), None))
        population = h.population
        if h.unit != "%" and not population:
            population = _count_population(text, h, rules)
        if h.unit != "%" and not population:
            # "Mỗi xã có 02 ...", "các trường tổ chức 01 ...": the noun the quantifier names, within the clause
            mm = regex.search(r"(?:[Mm]ỗi|[Cc]ác|[Tt]ại)\s+(?!(?:ngày|tuần|tháng|quý|năm)\b)(?P<p>[^;:.,\n\t]{2,60}?)"
                              r"\s+(?:\p{Ll}+\s+){0,3}$", text[s0:h.start])
            population = _phrase(text[s0 + mm.start("p"):h.start], rules) if mm else ""
            population = population or _label_population(text, h) or last_pop.get((s0, s1), "")
            if not population and subject_for is not None:
                population = subject_for(h.start) or ""
        elif population:
            last_pop[(s0, s1)] = population
        else:
            # "tỷ lệ ... đạt trên 90%; tỷ lệ hoàn thành cấp trung học cơ sở đạt 85%": a clause without its own
            # subject shares the one before it in the sentence
            population = last_pop.get((s0, s1), "")
        pop_id, _label = _population_label(population, rules)
        ds, de = deadline_for(h.start)
        stop = _clause_stop(text, h.end)
        clause_at = max(s0, _clause_start(text, h.start))
        clause = text[clause_at:stop]     # within its sentence
        out.append(Target(value=h.v1, value_max=h.v2, unit=h.unit, comparator=h.comparator,
                          aspirational=_is_aspirational(text[s0:h.start], rules)
                          or any(a <= h.start < b for a, b in hedged),
                          population=population or None,
                          indicator=(_indicator(h.unit, pop_id, clause, sentence, rules) if catalog else None)
                          or derived_indicator(population, h.unit, rules, _measure(text, clause_at, h, stop, population, rules)),
                          period=period_for(h.start), deadline_start=ds, deadline_end=de,
                          sentence=_LIST_MARK.sub("", sentence), start=h.start, end=h.end, text=text[h.start:h.end]))
    for c in cells:
        population = c.population
        if (m := rules.g.measure_label.match(population)):   # "Tỷ lệ học sinh được ...": what is counted
            population = _phrase(population[m.end():], rules) or population
        pop_id, _label = _population_label(population, rules)
        ds, de = c.deadline if c.period else deadline_for(c.start)
        out.append(Target(value=c.value, value_max=None, unit=c.unit, comparator=c.comparator, aspirational=False,
                          population=population or None,
                          indicator=(_indicator(c.unit, pop_id, population, c.sentence, rules) if catalog else None)
                          or derived_indicator(population, c.unit, rules),
                          period=c.period or period_for(c.start), deadline_start=ds, deadline_end=de,
                          sentence=c.sentence, start=c.start, end=c.end, text=text[c.start:c.end]))
    out.sort(key=lambda t: t.start)
    return out


def population_id(phrase: str | None, rules: TargetRules) -> str | None:
    """The population vocabulary's id for a population phrase (None when no entry matches)."""
    return _population_label(phrase or "", rules)[0]


def indicator_label(key: str | None, population: str | None, unit: str, labels: dict) -> str | None:
    """A readable name for an indicator key: the catalog's label, else what is measured and its unit."""
    if not key:
        return None
    if key in labels:
        return labels[key]
    what = population or key.split("__")[0].replace("_", " ")
    return f"{what} ({'tỷ lệ %' if unit == '%' else unit})" if unit else what
