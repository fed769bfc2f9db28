"""Rule tables kept as data (YAML). `load(name)` reads, validates and caches one table."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex
import yaml

RULES_DIR = Path(__file__).parent
_override: Path | None = None
_generation = 0


def generation() -> int:
    """Bumped whenever the rule source changes (set_rules_dir): every compiled cache keys on it."""
    return _generation


def set_rules_dir(path: str | Path | None) -> None:
    """Use YAML files from PATH before the bundled ones (kehoach run --rules DIR)."""
    global _override, _generation
    new = Path(path) if path else None
    if new == _override and new is None:
        return
    _override = new
    _generation += 1
    load.cache_clear()


def rules_dir() -> Path | None:
    """The --rules folder in use, if any."""
    return _override


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    for folder in filter(None, (_override, RULES_DIR)):
        path = folder / f"{name}.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"rule file {path} must hold a mapping")
            return data
    raise FileNotFoundError(f"no rule table named {name!r}")


def compile_patterns(name: str, flags: int = 0) -> list[tuple[str, "regex.Pattern", dict]]:
    """The `patterns` of a rule table, each regex with the table's $variables substituted, compiled
    with `flags`: the one place extractors and the rule tests get their patterns from."""
    from string import Template

    data = load(name)
    variables = data.get("variables", {})
    return [(p["id"], regex.compile(Template(p["regex"]).substitute(variables), flags), p)
            for p in data.get("patterns", [])]
