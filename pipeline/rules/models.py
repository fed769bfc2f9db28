"""Typed models of the rule tables (pydantic): what a rule file may hold, checked when it is read.

A --rules folder is written by hand; a misspelled key or a list where a mapping belongs would otherwise be
ignored or fail deep in an extractor. Each top-level table forbids keys it does not know, so a typo there
names itself. Entries (a pattern, a population, an indicator) are checked for the fields every extractor
needs and stay open to the others (examples, sources, an indicator's units and measures), which are not
checked by name.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Entry(BaseModel):
    model_config = ConfigDict(extra="allow")


class Pattern(Entry):
    id: str
    regex: str
    examples: list[str] = []


class SectionKind(Entry):
    kind: str
    phrases: list[str]


class TaskColumn(Entry):
    role: Literal["tt", "lead", "partners", "timeline", "output", "task"]
    words: list[str]
    whole_cell: bool = False


class GridColumn(Entry):
    role: Literal["stt", "unit", "actual", "coordinate", "time", "agency", "value"]
    regex: str
    examples: list[str] = []

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        import regex as rx
        try:
            rx.compile(value)
        except rx.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value


class Sections(Table):
    kinds: list[SectionKind]
    task_columns: list[TaskColumn] = []
    grid_columns: list[GridColumn] = []
    not_goal_phrases: list[str] = []
    not_target_phrases: list[str] = []


class Citations(Table):
    variables: dict[str, str]
    patterns: list[Pattern]
    doc_types: list[str]
    symbol_types: dict[str, str]


class Deadlines(Table):
    variables: dict[str, str] = {}
    patterns: list[Pattern]
    name_before: dict[str, list[str]] = {}
    event_words: list[str]
    recurring_words: list[str] = []
    past_is_not_a_schedule: list[str] = []


class Comparator(Entry):
    words: list[str]
    comparator: Literal[">=", ">", "=", "<=", "<", "range"]


class Population(Entry):
    id: str
    label: str
    phrases: list[str]


class Indicator(Entry):
    id: str


class TargetExample(Entry):
    text: str


class WordClass(Entry):
    """A closed class of words the clause grammar reads with (targets.yaml `grammar`)."""
    why: str
    words: list[str] = []
    examples: list[str] = []


class Targets(Table):
    comparators: list[Comparator]
    count_quantifiers: list[str]
    aspirational: list[str]
    not_units: list[str]
    multipliers: dict[str, float]
    stop_words: list[str]
    populations: list[Population]
    indicators: list[Indicator]
    examples: list[TargetExample] = []
    indicator_labels: dict[str, str] = {}
    catalog_topic: list[str] = []
    movement_titles: list[str] = []
    site_measures: list[str] = []
    admin_units: list[str] = []
    # required: the extractor reads clauses with it (a rule file from before it existed must add it; a
    # class may be left out, and then reads nothing, which is how kehoach ablate tries it)
    grammar: dict[str, WordClass]


class UnitLevel(Entry):
    level: str
    prefixes: list[str]


class SchoolLevel(Entry):
    level: str
    phrases: list[str]


class Metadata(Table):
    doc_types: dict[str, str]
    signer_titles: list[str]
    kinds: dict[str, list[str]] = {}
    letter_subject: list[str] = []
    title_proper_words: list[str] = []
    unit_proper_words: list[str] = []
    unit_levels: list[UnitLevel] = []
    school_levels: list[SchoolLevel] = []
    grammar: dict[str, WordClass]          # required, as in Targets


class RegistryDocument(Entry):
    key: str
    doc_type: str | None = None


class Registry(Table):
    documents: list[RegistryDocument]


class Provinces(Table):
    provinces: dict[str, list[str]] = Field(...)


MODELS: dict[str, type[Table]] = {"sections": Sections, "citations": Citations, "deadlines": Deadlines,
                                  "targets": Targets, "metadata": Metadata, "registry": Registry,
                                  "provinces": Provinces}


def problem(exc) -> str:
    """pydantic's first complaint in one line: where, and what."""
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err["loc"])
    return f"'{where}': {err['msg']}" if where else err["msg"]


__all__ = ["MODELS", "problem"]
