"""Cited documents: find number/symbol mentions, then read type, date, issuer and subject around them."""
from __future__ import annotations

from dataclasses import dataclass
from string import Template

import regex

from ...model import Citation, Document
from ...rules import Rules
from ...vi import fold
from .dates import date_after

_DASHES = regex.compile(r"[–—‐−‑]")
_ISSUER = regex.compile(
    r"^\s*,?\s*(?:của|do)\s+(?P<issuer>[^;:\n\t()]{3,140}?)"
    r"(?=\s+(?:về|V/v|v/v|thực\s+hiện|triển\s+khai|cập\s+nhật|ban\s+hành|quy\s+định|hướng\s+dẫn|phê\s+duyệt|ngày)\b|[;:\n\t()]|,\s|\.\s|\.?$)")
_SUBJECT = regex.compile(r"^\s*,?\s*(?:về\s+việc|về|V/v|v/v)\s+(?P<subject>[^;\n\t]{3,300}?)(?=[;\n\t]|\.\s|\)|$)")
_SO = regex.compile(r"(?:số|Số|SỐ)\s*:?\s*$")
_OWN_NUMBER = regex.compile(r"(?m)^\s*Số\s*:?[^\n]*")


@dataclass(frozen=True)
class CitationRules:
    patterns: list
    doc_types: list[tuple[str, str]]       # (folded, printed)
    symbol_types: dict[str, str]


def compile_citation_rules(data: dict, path=None) -> CitationRules:
    """The citations table compiled (see citation_rules)."""
    from ...rules import RulesError
    variables = data["variables"]
    pats = []
    for p in data["patterns"]:
        try:
            rx = Template(p["regex"]).substitute(variables)
            # no letter/digit/slash right before the number; symbol must not run into a word
            pats.append((p["id"], regex.compile(rf"(?<![\p{{L}}\d/.\-])(?:(?:số|Số|SỐ)\s*)?{rx}(?![\p{{L}}\d])")))
        except (regex.error, KeyError, ValueError) as exc:
            raise RulesError(f"rule file {path}: pattern '{p['id']}' does not compile: {exc}") from exc
    types = sorted(((fold(t), t) for t in data["doc_types"]), key=lambda x: -len(x[0]))
    return CitationRules(pats, types, data["symbol_types"])


def citation_rules(rules: Rules) -> CitationRules:
    """The citations table of `rules`, compiled once per Rules object."""
    return rules.compiled(_compile)


def _compile(rules: Rules) -> CitationRules:
    return compile_citation_rules(rules.table("citations"), rules.paths.get("citations"))


_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "O": "0"})


def make_key(number: str, year: str | None, symbol: str, sep: str) -> str:
    sym = _DASHES.sub("-", regex.sub(r"[\s~]+", "", symbol))
    return number.translate(_OCR_DIGITS) + (f"/{year}" if year else "") + sep + sym


def _doc_type_before(text: str, start: int, rules: CitationRules) -> str | None:
    before = fold(text[max(0, start - 40):start])
    before = regex.sub(r"(?:\s*(?:so|số)\s*:?\s*)$", "", before).rstrip(" ,")
    for folded, printed in rules.doc_types:
        if before.endswith(folded):
            return printed
    return None


def _type_from_symbol(symbol: str, rules: CitationRules) -> str | None:
    first = regex.split(r"[-/]", _DASHES.sub("-", symbol.replace(" ", "")))[0]
    return rules.symbol_types.get(first) or rules.symbol_types.get(first.upper())


def own_number(doc: Document, rules: CitationRules) -> str | None:
    """The plan's own 'Số: 126/KH-NVN' (None when blank)."""
    m = _OWN_NUMBER.search(doc.text[:1500])
    if not m:
        return None
    found = find_mentions(regex.sub(r"^\s*Số\s*:?\s*", "số ", m.group()), rules)
    return found[0].key if found and found[0].start <= 6 else None


@dataclass
class _Mention:
    key: str
    number: str
    year: str | None
    symbol: str
    start: int
    end: int


def find_mentions(text: str, rules: CitationRules) -> list[_Mention]:
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for pid, rx in rules.patterns:
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            sep = "/" if pid != "number_dash_symbol_slash" else "-"
            key = make_key(m.group("number"), m.groupdict().get("year"), m.group("symbol"), sep)
            found.append(_Mention(key, m.group("number"), m.groupdict().get("year"), m.group("symbol"),
                                  m.start("number"), m.end()))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x.start)


def find_citations(doc: Document, basis_end: int, rules: CitationRules,
                   mentions: list[_Mention] | None = None) -> list[Citation]:
    """One Citation per distinct key (case-insensitive), with mention count and first span.

    mentions: the document's mentions when the caller already found them (find_mentions)."""
    text = doc.text
    own = own_number(doc, rules)
    groups: dict[str, list[_Mention]] = {}
    for m in mentions if mentions is not None else find_mentions(text, rules):
        if own and m.key.casefold() == own.casefold():
            continue
        groups.setdefault(m.key.casefold(), []).append(m)
    out = []
    for mentions in groups.values():
        out.append(_interpret(text, mentions, basis_end, rules))
    return sorted(out, key=lambda c: c.start)


def _interpret(text: str, mentions: list[_Mention], basis_end: int, rules: CitationRules) -> Citation:
    first = mentions[0]
    doc_type = issued = issuer = subject = None
    for m in mentions:     # the fullest mention fills each field
        doc_type = doc_type or _doc_type_before(text, m.start, rules)
        d, pos = date_after(text, m.end)
        issued = issued or d
        im = _ISSUER.match(text[pos:pos + 200])
        if im and not issuer:
            issuer = im.group("issuer").strip(" ,.")
            pos += im.end()
        sm = _SUBJECT.match(text[pos:pos + 400])
        if sm and not subject:
            subject = sm.group("subject").strip()
    year = int(first.year) if first.year else (issued.year if issued else None)
    role = "basis" if any(m.start < basis_end for m in mentions) else "body"
    return Citation(key=first.key, doc_type=doc_type or _type_from_symbol(first.symbol, rules),
                    number=first.number.translate(_OCR_DIGITS), symbol=_DASHES.sub("-", regex.sub(r"[\s~]+", "", first.symbol)),
                    year=year, issued_date=issued, issuer=issuer, subject=subject, role=role,
                    mentions=len(mentions), start=first.start, end=first.end,
                    text=text[first.start:first.end])
