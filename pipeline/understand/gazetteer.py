"""Provinces and communes after the 1 July 2025 reorganization (34 provinces, 3,321 communes and wards).

Province names (new, and the old ones merged into them) come from rules/provinces.yaml; the commune
list comes from the `vietnam-provinces` package's data file, used as data only. A bare commune name is
often ambiguous ("xã Tân Kỳ" exists in three provinces): every candidate is kept, and the rest of the
document decides.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache

import regex

from ..vi import tone_key
from ..rules import Rules

log = logging.getLogger(__name__)
_NAME = r"((?:\p{Lu}[\p{Ll}\p{M}]*|\d+)(?:\s+(?:\p{Lu}[\p{Ll}\p{M}]*|\d+)){0,3})"
_UNIT = regex.compile(rf"(?i)(?<!\p{{L}})(xã|phường|đặc khu|thị trấn)\s+{_NAME}")
_DISTRICT_UNIT = regex.compile(rf"(?i)(?<!\p{{L}})(huyện|quận|thị xã|thành phố)\s+{_NAME}")


@lru_cache(maxsize=1)
def old_index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Pre-July-2025 units (rules/old_units.tsv): (districts, communes) -> {new provinces}."""
    from ..rules import RULES_DIR
    districts: dict[str, set[str]] = {}
    wards: dict[str, set[str]] = {}
    path = RULES_DIR / "old_units.tsv"
    if not path.exists():
        return districts, wards
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        level, name, _district, province = line.split("\t")
        (districts if level == "district" else wards).setdefault(tone_key(name), set()).add(province)
    return districts, wards


def _short(name: str) -> str:
    return regex.sub(r"^(?:Thành phố|Tỉnh)\s+", "", name)


@lru_cache(maxsize=1)
def commune_index() -> dict[str, set[str]]:
    """tone_key('xã tân kỳ') -> {province short names}."""
    try:
        import vietnam_provinces
        data = json.loads(open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8").read())
    except (ImportError, OSError, ValueError) as exc:
        log.warning("commune gazetteer unavailable (%s); province names only", exc)
        return {}
    index: dict[str, set[str]] = {}
    for prov in data:
        short = _short(prov["name"])
        for ward in prov["wards"]:
            index.setdefault(tone_key(ward["name"]), set()).add(short)
    return index


def _province_patterns(rules: Rules) -> list[tuple[str, regex.Pattern]]:
    """Each province's names (new, and the old ones merged into it) of `rules`' provinces table (a --rules
    folder may hold its own), compiled once per Rules object."""
    out = []
    for name, old in rules.table("provinces")["provinces"].items():
        for n in [name, *old]:
            out.append((name, regex.compile(rf"(?<!\p{{L}}){regex.escape(tone_key(n))}(?!\p{{L}})")))
    return out


def provinces_named(text: str, rules: Rules) -> list[str]:
    key = tone_key(text)
    found = []
    for name, rx in rules.compiled(_province_patterns):
        if rx.search(key) and name not in found:
            found.append(name)
    return found


def _named(text: str, pattern, indexes) -> dict[str, set[str]]:
    out = {}
    for m in pattern.finditer(text):
        words = m.group(2).split()
        for n in range(len(words), 0, -1):        # longest name that exists
            key = tone_key(f"{m.group(1)} {' '.join(words[:n])}")
            found = set().union(*(ix.get(key, set()) for ix in indexes))
            if found:
                out[f"{m.group(1).lower()} {' '.join(words[:n])}"] = found
                break
    return out


def communes_named(text: str, old: bool = False) -> dict[str, set[str]]:
    """'xã Tân Kỳ' -> {provinces it exists in}, for each commune/ward mentioned.

    With old=True a name is also read as a pre-2025 commune (mapped to the province it is in now)."""
    indexes = [commune_index()] + ([old_index()[1]] if old else [])
    return _named(text, _UNIT, indexes)


def districts_named(text: str) -> dict[str, set[str]]:
    """'huyện Krông Pắc' (pre-2025 districts and provincial cities) -> {new provinces}."""
    return _named(text, _DISTRICT_UNIT, [old_index()[0]])


def resolve_province(own: list[str | None], context: str, rules: Rules) -> tuple[str | None, list[str]]:
    """Province of a document from its own lines (issuer, parent, title, place), then the whole text.

    Returns (province or None, candidates)."""
    own_text = " \n".join(x for x in own if x)
    named = provinces_named(own_text, rules)
    if len(named) == 1:
        return named[0], named
    units = {**communes_named(own_text, old=True), **districts_named(own_text)}
    candidates: set[str] = set(named)
    for provs in units.values():
        candidates = candidates & provs if candidates else set(provs)
    elsewhere = provinces_named(context, rules)
    if candidates:
        narrowed = [p for p in elsewhere if p in candidates]
        if len(narrowed) == 1:
            return narrowed[0], sorted(candidates)
        if len(candidates) == 1:
            only = next(iter(candidates))
            return only, [only]
        return None, sorted(candidates | set(elsewhere))
    if len(elsewhere) == 1:
        return elsewhere[0], elsewhere
    return None, elsewhere
