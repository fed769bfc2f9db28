"""Check citations against the registry of well-known documents: fill registry_* fields, flag conflicts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import regex

from ...vi import tone_key
from ...rules import Rules


@dataclass(frozen=True)
class RegistryCheck:
    title: str | None
    doc_type: str | None
    issued_date: date | None
    issuer: str | None
    conflict: str | None


def _key(k: str) -> str:
    return tone_key(k.replace(" ", "").replace("–", "-"))


def index(table: dict) -> dict[str, dict]:
    """The registry table by normalized key (Rules.registry)."""
    return {_key(d["key"]): d for d in table["documents"]}


def registry(rules: Rules) -> dict[str, dict]:
    return rules.compiled(_index)


def _index(rules: Rules) -> dict[str, dict]:
    return index(rules.table("registry"))


def misread_year(key: str, year: int | None, latest: int, reg: dict[str, dict]) -> tuple[str, int] | None:
    """The registry's key and year for a citation whose year, as a scanned page was read, cannot be right.

    A plan cannot cite a document issued after it. When the year written in the key ("NN/YYYY/SYMBOL") is
    later than `latest` (the plan's own year), the registry's entries with the same number and symbol whose
    year differs from it in one digit, and is not later, are the readings the recognizer may have confused
    it with ("02/2035/TT-BGDĐT" on a 150-dpi scan of a 2025 plan for "02/2025/TT-BGDĐT"). Exactly one such
    entry is the document; none, or two, leave the key as read. Only the year between the number and the
    symbol is read so; a year known from the date after the key is not part of it."""
    if not year or year <= latest or f"/{year}/" not in key:
        return None
    head, _, tail = key.partition(f"/{year}/")
    found = []
    for i, digit in enumerate(str(year)):
        for other in "0123456789":
            y = str(year)[:i] + other + str(year)[i + 1:]
            if other != digit and int(y) <= latest and (entry := reg.get(_key(f"{head}/{y}/{tail}"))):
                found.append((entry["key"], int(y)))
    return found[0] if len(found) == 1 else None


def misread_symbol(key: str, symbol: str, type_codes, reg: dict[str, dict]) -> str | None:
    """The registry's key for a citation whose symbol, as a scanned page was read, names no kind of document.

    A symbol opens with the code of a document's kind (NQ, QĐ, TT, KH ...: a closed class, citations.yaml
    symbol_types). When the code read is none of them ("57-BQ/TW"), the registry's entries whose key is
    the one read with one letter of the symbol changed are the readings the recognizer may have confused
    it with; exactly one is the document ("57-NQ/TW"), none or two leave the key as read."""
    first = regex.split(r"[-–/\s]", symbol.strip(), maxsplit=1)[0]
    codes = {c.casefold() for c in type_codes}
    if not first or first.casefold() in codes:
        return None
    read = _key(key)
    at = len(read) - len(_key(symbol))          # where the symbol starts in the key
    found = [entry["key"] for k, entry in reg.items()
             if len(k) == len(read) and k[:at] == read[:at]
             and sum(a != b for a, b in zip(k[at:], read[at:])) == 1]
    return found[0] if len(found) == 1 else None


def check(key: str, doc_type: str | None, issued: date | None, issuer: str | None,
          reg: dict[str, dict]) -> RegistryCheck | None:
    """None when the key is not in the registry; otherwise its fields and any contradiction found."""
    entry = reg.get(_key(key))
    if entry is None:
        return None
    problems = []
    r_date = entry.get("issued_date")
    if isinstance(r_date, str):
        r_date = date.fromisoformat(r_date)
    if issued and r_date and issued != r_date:
        problems.append(f"date {issued.isoformat()} != registry {r_date.isoformat()}")
    r_type = entry.get("doc_type")
    if doc_type and r_type and tone_key(doc_type) != tone_key(r_type) and not tone_key(doc_type).startswith(tone_key(r_type)):
        problems.append(f"type '{doc_type}' != registry '{r_type}'")
    r_issuer = entry.get("issuer")
    if issuer and r_issuer:
        names = [tone_key(n) for n in [r_issuer, *entry.get("aliases", [])]]
        said = tone_key(issuer)
        if not any(n in said or said in n for n in names):
            problems.append(f"issuer '{issuer}' != registry '{r_issuer}'")
    return RegistryCheck(entry.get("title"), r_type, r_date, r_issuer, "; ".join(problems) or None)
