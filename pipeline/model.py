"""Records passed between stages. Imports nothing from pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class ReadWord(str):
    """A word as OCR read it, with `alternatives`: {index of a character: the other characters the
    recognizer weighed there} (Tesseract's LSTM choices; empty when it weighed none)."""

    def __new__(cls, text: str, alternatives: dict | None = None):
        word = super().__new__(cls, text)
        word.alternatives = alternatives or {}
        return word

    def __reduce__(self):
        return ReadWord, (str(self), self.alternatives)


@dataclass
class Page:
    """One page of source text as read, before normalization."""
    text: str
    ocr: bool = False
    confidence: float | None = None
    prep: str | None = None            # the image preparation OCR read (gray, despeckle)
    source_dpi: float | None = None    # resolution of the scanned image the page holds
    tone_repairs: int = 0              # OCR tone marks put right by the compound words they form
    at_risk: bool = False              # OCR of a low-resolution or doubtful page: checked for OCR's confusions
    words: list = field(default_factory=list)    # OCR: (word, Tesseract confidence) in reading order
    raw_text: str | None = None        # OCR: the page as Tesseract read it, before any repair
    edits: list = field(default_factory=list)    # OCR: repairs made to raw_text (see pipeline.reading.ingest.repair)


@dataclass
class Source:
    """A file as read: one entry per page (plain text is a single page with page numbers unknown)."""
    doc_id: str
    path: str
    sha256: str
    pages: list[Page]
    paged: bool = True            # False for plain text: no page numbers to report
    fmt: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class Document:
    """Normalized text; pages joined with '\\f'. Every later stage works on this."""
    doc_id: str
    text: str
    page_starts: list[int]
    source: Source

    def page_of(self, offset: int) -> int | None:
        if not self.source.paged:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if offset >= start:
                page = i + 1
        return page


@dataclass(frozen=True)
class Section:
    path: str
    level: int
    number: str
    title: str
    kind: str
    start: int            # heading start
    end: int              # end of the section body (next heading of same or higher level)
    heading_end: int
    subtitle: str | None = None


@dataclass(frozen=True)
class Citation:
    key: str
    doc_type: str | None
    number: str
    symbol: str
    year: int | None
    issued_date: date | None
    issuer: str | None
    subject: str | None
    role: str
    mentions: int
    start: int
    end: int
    text: str
    registry: object = None       # the registry's entry for its key and any contradiction (extract.registry)
    key_as_read: str | None = None  # a scanned page's reading of the key when it was put right (extract.registry)


@dataclass(frozen=True)
class Target:
    value: float
    value_max: float | None
    unit: str
    comparator: str
    aspirational: bool
    population: str | None
    indicator: str | None
    period: str | None
    deadline_start: date | None
    deadline_end: date | None
    sentence: str
    start: int
    end: int
    text: str
    population_id: str | None = None      # the population's canonical id (rules/targets.yaml populations)
    indicator_label: str | None = None    # a readable name of the indicator


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: str
    start_date: date | None
    end_date: date | None
    recurrence: str | None
    applies_to: str
    start: int
    end: int


@dataclass(frozen=True)
class Task:
    task: str
    lead: str | None
    partners: str | None
    output: str | None
    timeline: str | None
    deadline_start: date | None
    deadline_end: date | None
    group: str | None
    source: str            # "table" | "responsibility"
    start: int
    end: int


@dataclass
class Metadata:
    doc_type: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    title: str | None = None
    place: str | None = None
    issued_date: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None
    recipients: list[str] = field(default_factory=list)
    unit_level: str | None = None
    school_level: str | None = None
    province: str | None = None
    province_candidates: list[str] = field(default_factory=list)
    is_plan: bool = True
    kind: str = "plan"                  # plan, legal, letter or article (pipeline.understand.extract.kind)
    kind_reason: str | None = None
    scope_start: date | None = None     # the plan's own time scope, used to resolve bare dates
    scope_end: date | None = None


@dataclass
class Extraction:
    """Everything extracted from one document."""
    document: Document
    metadata: Metadata
    sections: list[Section]
    citations: list[Citation]
    targets: list[Target]
    deadlines: list[Deadline]
    tasks: list[Task]
    rules: object = None          # the pipeline.rules.Rules the extraction used
    failures: list = field(default_factory=list)   # (step, message) of extraction steps that raised
    grids: list = field(default_factory=list)      # the document's tables (pipeline.understand.extract.grids.Grid)
