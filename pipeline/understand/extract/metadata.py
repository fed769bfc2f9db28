"""Document metadata: type, number, issuer, title, place and date, signer, levels, province."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import regex

from ...model import Document, Metadata
from ..gazetteer import provinces_named, resolve_province
from ...vi import alternation, modern_tones, tone_key
from ...rules import Rules
from .citations import citation_rules, own_number
from .kind import document_kind

# the date line keeps its shape when OCR or a keyboard drops or swaps the tone marks ("ngay ... thang ... nam")
_A = "[aàáảãạăằắẳẵặâầấẩẫậ]"
_PLACE_DATE = regex.compile(
    rf"(?m)^[ \t]*(?P<place>\p{{Lu}}[^,\n\t]{{0,40}}?),\s*ng{_A}y\s*(?P<d>\d{{1,2}})?\s*(?:th{_A}ng|/)\s*"
    rf"(?P<m>\d{{1,2}})?\s*(?:n{_A}m|/)\s*(?P<y>(?:19|20)\d{{2}})")
_NATIONAL = regex.compile(r"CỘNG\s+HÒA|CỘNG\s+HOÀ|Độc\s+lập|ĐỘC\s+LẬP|^[-_–. ]+$|^Số\s*:|, ngày", regex.I)
_MOTTO = regex.compile(r"CỘNG\s+H[OÒ][ÀA]\s+XÃ\s+HỘI", regex.I)
_MOTTO_2 = regex.compile(r"Độc\s+lập\s*[-–—:]", regex.I)
_NAME = regex.compile(r"^(?:\p{Lu}[\p{Ll}]+\s){1,4}\p{Lu}[\p{Ll}]+$|^(?:\p{Lu}+\s){1,4}\p{Lu}+$")


NATIONAL_LEVELS = ("central", "ministry")      # unit levels whose plans are the whole country's


@dataclass(frozen=True)
class MetadataGrammar:
    """The letterhead and preamble grammar (the `grammar` table of metadata.yaml) compiled."""
    unit_start: regex.Pattern       # a letterhead line that opens a body's name
    body_issuer: regex.Pattern      # "Trường X xây dựng kế hoạch": a body naming itself as the author
    place_in: regex.Pattern         # "xã Nga Sơn": a unit and its name
    has_place: regex.Pattern        # a unit word anywhere
    district: regex.Pattern         # the abolished district level
    lead_in: regex.Pattern          # a preamble paragraph's opening words
    basis_line: regex.Pattern       # a line citing what the plan is based on
    education: regex.Pattern        # an education body or plan
    abbreviations: frozenset        # kept in capitals in sentence case
    school_name: regex.Pattern      # "trường <kinds> <name>"
    unit_then_place: regex.Pattern  # "xã <place>": the place name after a unit word
    body_names: tuple = ()          # full names of the bodies heading most letterheads, in capitals


def metadata_grammar(rules: Rules) -> MetadataGrammar:
    """The metadata table's grammar, compiled once per Rules object."""
    return rules.compiled(_compile_grammar)


def _compile_grammar(rules: Rules) -> MetadataGrammar:
    g = rules.table("metadata").get("grammar") or {}

    def words(name: str, key: str = "words") -> str:
        return alternation((g.get(name) or {}).get(key))
    units = words("place_units")
    return MetadataGrammar(
        unit_start=regex.compile(rf"^(?:{words('body_heads')})(?!\p{{L}})"),
        body_issuer=regex.compile(
            rf"(?<!(?i:{words('self_naming_bodies', 'not_after')})\s)"
            rf"(?P<issuer>(?:{words('self_naming_bodies')})\s[^,;:\n“\"]{{2,90}}?)"
            rf"\s+(?:(?:{words('self_naming_bodies', 'qualifiers')})\s+)?(?:{words('self_naming_bodies', 'verbs')})\s+"
            rf"(?i:{words('self_naming_bodies', 'objects')})"),
        place_in=regex.compile(rf"(?:{units})\s+(?:(?:\p{{Lu}}\p{{Ll}}*|\d+)\s?){{1,4}}"),
        has_place=regex.compile(rf"(?i)(?<!\p{{L}})(?:{units})(?!\p{{L}})"),
        district=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('district_units')})(?!\p{{L}})"),
        lead_in=regex.compile(rf"^(?:{words('preamble_lead_ins')})(?!\p{{L}})"),
        basis_line=regex.compile(rf"(?m)^[ \t*]*(?:{words('basis_lead_ins')})(?!\p{{L}})[^\n]*"),
        education=regex.compile(rf"(?i)(?<!\p{{L}})(?:{words('education_words')})(?!\p{{L}})"),
        abbreviations=frozenset((g.get("abbreviations") or {}).get("words") or ()),
        school_name=regex.compile(rf"(?i)^trường\s+(?:(?:{words('school_types')})\s*)+(?P<name>\S.*)$"),
        unit_then_place=regex.compile(rf"(?i)(?<!\p{{L}})({units})\s+(.+)$"),
        body_names=tuple((g.get("body_names") or {}).get("words") or ()),
    )


# specks before a scanned letterhead line ("_ ỦY BAN ..."): marks no letterhead starts with
_SPECKS = regex.compile(r"^[ _\-—–.,:;'\"ˆ~*`]+(?=\p{Lu})")


def letterhead_as_named(doc: Document, g: MetadataGrammar) -> str:
    """The text the metadata is read from: on a scanned first page, a letterhead line that is one of the
    grammar's body names with at most two letters misread (same length, letters in capitals) reads as that
    name, specks before it blanked; offsets are kept, and doc.text itself is not changed."""
    text = doc.text
    if not g.body_names or not doc.source.pages or not doc.source.pages[0].ocr:
        return text
    from rapidfuzz.distance import Hamming
    out = text
    for n, m in enumerate(regex.finditer(r"(?m)^[^\n]*", text[:1500])):
        if n >= 8:
            break
        line, start = m.group(), m.start()
        if speck := _SPECKS.match(line):
            line, start = line[speck.end():], start + speck.end()
        for name in g.body_names:
            seg = line[:len(name)]
            if (len(seg) == len(name) and seg != name and seg.isupper() and Hamming.distance(seg, name) <= 2
                    and not regex.match(r"\p{L}", line[len(name):len(name) + 1])):
                blank = " " * (start - m.start())
                out = out[:m.start()] + blank + name + out[start + len(name):]
                break
    return out


_CITES = regex.compile(r"\d+\s*[/-]\s*\p{Lu}")


def _without_basis(text: str, g: MetadataGrammar) -> str:
    """The preamble without the căn cứ / theo đề nghị lines that cite a numbered document (their
    agencies issued the cited documents); same length, so offsets hold. "Căn cứ tình hình thực tế,
    trường X xây dựng kế hoạch" names no document and stays."""
    return g.basis_line.sub(lambda m: " " * len(m.group()) if _CITES.search(m.group()) else m.group(), text)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group().strip()) for m in regex.finditer(r"[^\n\f]+", text)]


def _sentence_case(s: str, proper: list[str], g: MetadataGrammar) -> str:
    out = " ".join(w if w in g.abbreviations else w.lower() for w in s.split())
    out = out[:1].upper() + out[1:]
    for word in proper:
        out = regex.sub(regex.escape(word.lower()), word, out)
    return out


def _find_printed(text: str, upper: str) -> str | None:
    """The mixed-case spelling of an all-caps phrase somewhere in the body."""
    key = tone_key(upper)
    n = len(upper)
    low = tone_key(text)
    i = low.find(key)
    return text[i:i + n] if i != -1 and len(low) == len(text) else None


def _title_case_unit(text: str, upper: str, proper: list[str], g: MetadataGrammar) -> str:
    found = _find_printed(text, upper)
    if found and not found.isupper():
        return found[:1].upper() + found[1:]
    words = upper.split()
    out = _sentence_case(upper, proper, g)
    if out.startswith("Ubnd"):
        out = "UBND" + out[4:]
    # place names after a unit word keep capitals: "ỦY BAN NHÂN DÂN XÃ TÂN KỲ" -> "Ủy ban nhân dân xã Tân Kỳ"
    m = g.unit_then_place.search(out)
    if m:
        out = out[:m.start(2)] + " ".join(w.capitalize() for w in m.group(2).split())
    # a school's name follows its level: "TRƯỜNG THCS LÊ LỢI" -> "Trường THCS Lê Lợi"
    elif m := g.school_name.match(out):
        out = out[:m.start("name")] + " ".join(w if w.isupper() and len(w) > 1 and w in g.abbreviations else w.capitalize()
                                               for w in m.group("name").split())
    return out if words else upper


def _header_units(lines: list[tuple[int, str]], stop: int, g: MetadataGrammar) -> list[str]:
    units: list[str] = []
    for _, ln in lines[:stop]:
        motto = _MOTTO.search(ln) or _MOTTO_2.search(ln)
        if motto and motto.start() > 0:
            # OCR ran the letterhead's two columns into one line: the unit's line stands before the
            # motto's first ("CỘNG HÒA ...") or second line ("Độc lập - Tự do - Hạnh phúc")
            ln = ln[:motto.start()].strip(" -_–—.ˆ~")
        if _NATIONAL.search(ln) or not ln or ln.isdigit():
            continue
        if not regex.match(r"^[^\p{Ll}]+$", ln):
            continue
        if g.unit_start.match(ln) or not units:
            units.append(ln)
        else:
            units[-1] += " " + ln
    return [regex.sub(r"\s+", " ", u).strip(" -") for u in units]


def _doc_type_line(lines, types: dict, g: MetadataGrammar) -> tuple[int | None, str | None, str]:
    """(line index, type, title on the same line): "KẾ HOẠCH" alone, or the type word opening an
    all-caps line that goes on with the title ("KẾ HOẠCH HOẠT ĐỘNG NĂM HỌC 2025 - 2026")."""
    for i, (_, ln) in enumerate(lines[:40]):
        key = regex.sub(r"\s+", " ", ln.strip(" *:")).upper()
        if key in types:
            return i, types[key], ""
        if ln.isupper() and not g.unit_start.match(ln):
            for word in sorted(types, key=len, reverse=True):
                if key.startswith(word + " ") and ln == ln.upper():
                    return i, types[word], ln.strip(" *:")[len(word):].strip()
    return None, None, ""


def _header_end(lines) -> int:
    """Without a type line, the letterhead runs to the first line of the letter itself."""
    for i, (_, ln) in enumerate(lines[:30]):
        if regex.match(r"(?:Kính\s+gửi|V/v|Về\s+việc|Căn\s+cứ|Thực\s+hiện|Theo)\b", ln, regex.I) or (
                regex.search(r"\p{Ll}", ln) and not _NATIONAL.search(ln) and not ln.startswith("Số")):
            return i
    return min(len(lines), 30)


def _signer(text: str, titles: list[str], proper: list[str], g: MetadataGrammar) -> tuple[str | None, str | None]:
    tail_start = text.rfind("Nơi nhận")
    if tail_start == -1:
        tail_start = max(len(text) - 3000, 0)
    appendix = regex.search(r"(?m)^PHỤ\s+LỤC", text[tail_start:])
    tail = text[tail_start: tail_start + appendix.start()] if appendix else text[tail_start:]
    lines = [ln.strip() for ln in regex.split(r"[\n\f\t]", tail) if ln.strip()]
    title, name, t_idx = None, None, None
    for i, ln in enumerate(lines):
        up = ln.upper()
        for t in titles:
            if regex.search(rf"(?<!\p{{L}}){regex.escape(t)}(?!\p{{L}})", up) and ln == up:
                title, t_idx = _sentence_case(t, proper, g), i
                break
    if t_idx is None:
        return None, None
    for ln in lines[t_idx + 1:t_idx + 8]:
        if _NAME.match(ln) and not any(t in ln.upper() for t in titles) and not ln.startswith(("KT", "TM")):
            name = ln if not ln.isupper() else " ".join(w.capitalize() for w in ln.split())
            break
    return name, title


def _recipients(text: str) -> list[str]:
    """The '- ...;' lines under 'Nơi nhận:'. All-caps lines (the signer's block, read in between
    when the closing table's columns interleave) are skipped; any other line ends the list."""
    start = text.rfind("Nơi nhận")
    if start == -1:
        return []
    out = []
    for ln in regex.split(r"[\n\f]", text[start:start + 1500])[1:]:
        ln = ln.strip()
        if ln.startswith(("-", "+", "•")):
            if item := ln.lstrip("-+• ").rstrip(" ;.,"):
                out.append(item)
        elif ln and not ln.isupper() and out:
            break
    return out


def _level(issuer: str | None, rules: dict, g: MetadataGrammar) -> str | None:
    if not issuer:
        return None
    key = tone_key(issuer)
    if g.district.search(issuer) and not key.startswith(("trường", "nhà trẻ", "mẫu giáo")):
        return "other"                 # a pre-2025 district body: no such level since July 2025
    for entry in rules["unit_levels"]:
        if any(key.startswith(tone_key(p)) for p in entry["prefixes"]):
            return entry["level"]
    return "other"


def _school_level(issuer: str | None, rules: dict) -> str | None:
    if not issuer or not tone_key(issuer).startswith(("trường", "nhà trẻ", "mẫu giáo")):
        return None
    key = tone_key(issuer) + " "
    for entry in rules["school_levels"]:
        if any(tone_key(p) in key for p in entry["phrases"]):
            return entry["level"]
    return None




def _scope(title: str | None, issued: str | None, education: bool = True) -> tuple[date | None, date | None]:
    """The plan's own time scope: the school year or year its title names; without one, the year it was
    issued, or for an education plan issued from August on, the school year that starts then."""
    t = title or ""
    if m := regex.search(r"năm\s+học\s+((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})", t, regex.I):
        y = int(m.group(1))
        return date(y, 9, 1), date(y + 1, 5, 31)
    if m := regex.search(r"năm\s+((?:19|20)\d{2})(?!\s*[-–])", t, regex.I):
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    if m := regex.search(r"giai\s+đoạn\s+((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})", t, regex.I):
        return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
    if issued:
        y, m_ = int(issued[:4]), int(issued[5:7]) if len(issued) >= 7 else 1
        if m_ >= 8 and education:
            return date(y, 9, 1), date(y + 1, 5, 31)
        return date(y, 1, 1), date(y, 12, 31)
    return None, None


def extract_metadata(doc: Document, preamble_end: int, basis_end: int | None, all_rules: Rules) -> Metadata:
    """Metadata from the header block, the preamble (up to basis_end when a numbered "CĂN CỨ" section
    opens the plan) and the closing block, read with `all_rules`: its metadata table and grammar, and the
    provinces table of the gazetteer (a --rules folder's own)."""
    rules, g = all_rules.table("metadata"), metadata_grammar(all_rules)
    text = letterhead_as_named(doc, g)
    lines = _lines(text)
    meta = Metadata()
    ti, meta.doc_type, same_line_title = _doc_type_line(lines, rules["doc_types"], g)
    if ti is not None:
        title = [same_line_title] if same_line_title else []
        for k, (off, ln) in enumerate(lines[ti + 1:ti + 5]):
            # the first line under the type is the trích yếu even when it starts "Thực hiện ..."
            lead_in = ln.startswith("Căn cứ") or (k > 0 and g.lead_in.match(ln))
            if off >= preamble_end or lead_in or _PLACE_DATE.match(ln) or ln.startswith("Số"):
                break
            title.append(ln)
        meta.title = " ".join(title) or None
    else:
        for _, ln in lines[:30]:
            if m := regex.match(r"(?:%s)\s*:?\s*(?P<t>.+)" % "|".join(map(regex.escape, rules.get("letter_subject", []))), ln):
                meta.doc_type, meta.title = "Công văn", m.group("t").strip()
                break
    meta.doc_number = own_number(doc, citation_rules(all_rules))
    if m := _PLACE_DATE.search(text[:min(4000, max(preamble_end, 1500))]):
        meta.place = regex.sub(r"^Số\s*:?\s*\S*\s+", "", m.group("place").strip())   # two header columns read as one line
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        meta.issued_date = y + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if mo and d else "")
    units = _header_units(lines, ti if ti is not None else _header_end(lines), g)
    # the letterhead names the issuer; the body's self-reference ("Trường X xây dựng kế hoạch") only
    # when there is no letterhead, and the căn cứ list never (its agencies are other issuers)
    if units and g.unit_start.match(units[-1]):
        meta.issuer = _title_case_unit(text, units[-1], rules["unit_proper_words"], g)
    elif body := g.body_issuer.findall(_without_basis(text[:max(preamble_end, basis_end or 0, 600)], g)):
        meta.issuer = body[-1][:1].upper() + body[-1][1:]
    elif units:
        meta.issuer = _title_case_unit(text, units[-1], rules["unit_proper_words"], g)
    if meta.issuer:
        meta.issuer = modern_tones(meta.issuer)
    if len(units) >= 2:
        meta.parent_issuer = _title_case_unit(text, units[-2], rules["unit_proper_words"], g)
    if meta.issuer and not g.has_place.search(meta.issuer):
        sentence_m = regex.search(regex.escape(meta.issuer) + r"[^\n]*", text[:preamble_end + 1])
        where = g.place_in.search(sentence_m.group()) if sentence_m else None
        if not where and meta.parent_issuer:
            where = g.place_in.search(meta.parent_issuer)
        if where and meta.issuer.startswith(("Sở", "Phòng", "Ban")):
            meta.issuer = f"{meta.issuer} {where.group().strip()}"
    meta.signer_name, meta.signer_title = _signer(text, rules["signer_titles"], rules["title_proper_words"], g)
    meta.recipients = _recipients(text)
    meta.unit_level = _level(meta.issuer, rules, g)
    meta.school_level = _school_level(meta.issuer, rules)
    meta.province, meta.province_candidates = resolve_province(
        [meta.issuer, meta.parent_issuer, meta.title, meta.place], text[:preamble_end] + "\n" + text[-3000:],
        all_rules)
    if meta.unit_level in NATIONAL_LEVELS and not provinces_named(" ".join(filter(None, [meta.issuer, meta.parent_issuer])), all_rules):
        meta.province = None        # a central body sits in Hà Nội but plans for the country: no province
    # a school year only for a school or an education body, or a plan that speaks of one
    education = bool(meta.school_level or g.education.search(" ".join(filter(None, [meta.issuer, meta.parent_issuer])))
                     or regex.search(r"(?i)năm\s+học", text[:max(preamble_end, 2000)]))
    meta.scope_start, meta.scope_end = _scope(meta.title, meta.issued_date, education)
    meta.kind, meta.kind_reason, printed = document_kind(text, rules)
    meta.is_plan = meta.kind == "plan"
    if meta.kind == "article":          # no official type: what it mentions is not its type
        meta.doc_type = None
    elif printed and not meta.doc_type:
        meta.doc_type = printed
    return meta
