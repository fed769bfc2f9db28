"""Rule tables kept as data (YAML), loaded, validated and compiled in one place: the Rules object.

`Rules(folder)` reads each table from `folder` (kehoach run --rules DIR) before the bundled one, checks
it against SCHEMA, and compiles what the extractors need on first use. The extractors get the object
passed in; nothing is compiled at module level, so two rule sources never share a cache.
`Rules.for_folder(folder)` reuses an object only while the folder's files are byte for byte the same.
"""
from __future__ import annotations

import hashlib
from functools import cached_property, lru_cache
from pathlib import Path
from string import Template

import regex
import yaml

RULES_DIR = Path(__file__).parent
TABLES = ("sections", "citations", "deadlines", "targets", "metadata", "registry", "provinces")

# table -> {key: (type, required)}; patterns are checked entry by entry below
SCHEMA: dict[str, dict[str, tuple[type, bool]]] = {
    "sections": {"kinds": (list, True), "not_goal_phrases": (list, False), "not_target_phrases": (list, False)},
    "citations": {"variables": (dict, True), "patterns": (list, True), "doc_types": (list, True),
                  "symbol_types": (dict, True)},
    "deadlines": {"variables": (dict, False), "patterns": (list, True), "name_before": (dict, False),
                  "event_words": (list, True), "recurring_words": (list, False),
                  "past_is_not_a_schedule": (list, False)},
    "targets": {"comparators": (list, True), "count_quantifiers": (list, True), "aspirational": (list, True),
                "not_units": (list, True), "multipliers": (dict, True), "stop_words": (list, True),
                "populations": (list, True), "indicators": (list, True), "examples": (list, False),
                "indicator_labels": (dict, False), "catalog_topic": (list, False), "movement_titles": (list, False), "site_measures": (list, False), "admin_units": (list, False)},
    "metadata": {"doc_types": (dict, True), "signer_titles": (list, True), "kinds": (dict, False)},
    "registry": {"documents": (list, True)},
    "provinces": {"provinces": (dict, True)},
}


class RulesError(ValueError):
    """A rule file that cannot be used: not YAML, wrong shape, a pattern that does not compile."""


def _validate(name: str, path: Path, data) -> dict:
    if not isinstance(data, dict):
        raise RulesError(f"rule file {path} must hold a mapping")
    for key, (typ, required) in SCHEMA.get(name, {}).items():
        if key not in data:
            if required:
                raise RulesError(f"rule file {path}: '{key}' is missing")
            continue
        if not isinstance(data[key], typ):
            raise RulesError(f"rule file {path}: '{key}' must be a {typ.__name__}")
    for i, p in enumerate(data.get("patterns", []) if name in ("citations", "deadlines") else []):
        if not isinstance(p, dict) or not isinstance(p.get("id"), str) or not isinstance(p.get("regex"), str):
            raise RulesError(f"rule file {path}: pattern {i + 1} needs an 'id' and a 'regex'")
    if name == "sections":
        for entry in data["kinds"]:
            if not isinstance(entry, dict) or "kind" not in entry or not isinstance(entry.get("phrases"), list):
                raise RulesError(f"rule file {path}: every kind needs 'kind' and a list of 'phrases'")
    return data


def _read(folder: Path | None, name: str) -> tuple[Path, dict]:
    for base in filter(None, (folder, RULES_DIR)):
        path = base / f"{name}.yaml"
        if path.exists():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise RulesError(f"rule file {path} is not valid YAML: {exc}") from exc
            return path, _validate(name, path, data)
    raise RulesError(f"no rule table named {name!r}")


def folder_hash(folder: str | Path | None) -> str:
    """The bytes of a --rules folder's YAML files (never cached: an edit must show)."""
    if not folder:
        return "-"
    h = hashlib.sha256()
    for p in sorted(Path(folder).glob("*.yaml")):
        h.update(p.name.encode("utf-8", "surrogateescape"))
        h.update(p.read_bytes())
    return h.hexdigest()


class Rules:
    """Every rule table of one source (a --rules folder over the bundled files), validated on load."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder else None
        self._tables: dict[str, dict] = {}
        self.paths: dict[str, Path] = {}

    @classmethod
    def bundled(cls) -> "Rules":
        return _bundled()

    @classmethod
    def for_folder(cls, folder: str | Path | None) -> "Rules":
        """The object for a folder, reused while its files are unchanged (the key is their hash)."""
        if not folder:
            return _bundled()
        return _for_folder(str(folder), folder_hash(folder))

    def table(self, name: str) -> dict:
        if name not in self._tables:
            self.paths[name], self._tables[name] = _read(self.folder, name)
        return self._tables[name]

    def check(self) -> "Rules":
        """Load, validate and compile everything now (a bad --rules folder fails before the batch)."""
        for name in TABLES:
            self.table(name)
        _ = self.deadline_patterns, self.citation_rules, self.target_rules
        return self

    def patterns(self, name: str, flags: int = 0) -> list[tuple[str, "regex.Pattern", dict]]:
        """A table's `patterns`, each regex with the table's $variables substituted, compiled with flags:
        the one place extractors and the rule tests get them from."""
        data = self.table(name)
        variables = data.get("variables", {})
        out = []
        for p in data.get("patterns", []):
            try:
                out.append((p["id"], regex.compile(Template(p["regex"]).substitute(variables), flags), p))
            except (regex.error, KeyError, ValueError) as exc:
                raise RulesError(f"rule file {self.paths.get(name)}: pattern '{p['id']}' does not compile: {exc}") from exc
        return out

    @cached_property
    def deadline_patterns(self):
        from ..extract.deadlines import FLAGS
        return [(pid, rx) for pid, rx, _ in self.patterns("deadlines", FLAGS)]

    @cached_property
    def citation_rules(self):
        from ..extract.citations import compile_citation_rules
        return compile_citation_rules(self.table("citations"), self.paths.get("citations"))

    @cached_property
    def target_rules(self):
        from ..extract.targets import compile_target_rules
        return compile_target_rules(self.table("targets"))

    @cached_property
    def registry(self) -> dict[str, dict]:
        from ..extract.registry import index
        return index(self.table("registry"))


@lru_cache(maxsize=1)
def _bundled() -> Rules:
    return Rules(None)


@lru_cache(maxsize=8)
def _for_folder(folder: str, _content: str) -> Rules:
    return Rules(folder)


def load(name: str) -> dict:
    """A bundled table (for reports and tests; extraction takes a Rules object)."""
    return _bundled().table(name)


def compile_patterns(name: str, flags: int = 0):
    """The bundled table's compiled patterns (see Rules.patterns)."""
    return _bundled().patterns(name, flags)
