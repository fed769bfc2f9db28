"""Check citations against the registry of well-known documents: fill registry_* fields, flag conflicts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
