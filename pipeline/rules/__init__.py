"""Rule tables kept as data (YAML), loaded, validated and compiled in one place: the Rules object.

`Rules(folder)` reads each table from `folder` (kehoach run --rules DIR) before the bundled one, checks
it against its typed model (models.py), and compiles what the extractors need on first use. The extractors get the object
passed in; nothing is compiled at module level, so two rule sources never share a cache.
`Rules.for_folder(folder)` reuses an object only while the folder's files are byte for byte the same.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from string import Template

import regex
import yaml

RULES_DIR = Path(__file__).parent
TABLES = ("sections", "citations", "deadlines", "targets", "metadata", "registry", "provinces")

class RulesError(ValueError):
    """A rule file that cannot be used: not YAML, wrong shape, a pattern that does not compile."""


def _validate(name: str, path: Path, data) -> dict:
    """The table checked against its typed model (rules/models.py); returned as read."""
    from pydantic import ValidationError

    from .models import MODELS, problem
    if not isinstance(data, dict):
        raise RulesError(f"rule file {path} must hold a mapping")
    try:
        MODELS[name].model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"rule file {path}: {problem(exc)}") from exc
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
        self._compiled: dict = {}
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
        """Load, validate and compile every pattern now (a bad --rules folder fails before the batch)."""
        for name in TABLES:
            self.table(name)
        for name in ("citations", "deadlines"):
            self.patterns(name)
        return self

    def compiled(self, compiler):
        """What `compiler(rules)` makes of these tables, made once per Rules object. Each extractor owns
        the compiler of its part (targets.target_rules, citations.citation_rules, ...), so the rules
        never import the extractors."""
        if compiler not in self._compiled:
            self._compiled[compiler] = compiler(self)
        return self._compiled[compiler]

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
