"""Thin spaCy adapters: the same extractors as pipeline components, results as character spans.

    import spacy, pipeline.understand.spacy_components  # registers the factories
    nlp = spacy.blank("xx")
    nlp.add_pipe("kehoach")                  # or kehoach_citations / kehoach_targets / kehoach_deadlines
    doc = nlp(text)
    doc._.targets   -> [Span(label="TARGET"), ...]; span._.kehoach is the record (value, unit, ...)

The text is used as given (normalize it first with pipeline.reading.normalize.normalize_text for best results).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .extract import extract
from ..model import Document, Page, Source

KINDS = {"citations": "CITATION", "targets": "TARGET", "deadlines": "DEADLINE"}
for _attr in (*KINDS, "sections"):
    if not Doc.has_extension(_attr):
        Doc.set_extension(_attr, default=None)
if not Span.has_extension("kehoach"):
    Span.set_extension("kehoach", default=None)


def _document(text: str) -> Document:
    src = Source(doc_id="spacy", path="<spacy>", sha256="", pages=[Page(text=text)], paged=False)
    return Document(doc_id="spacy", text=text, page_starts=[0], source=src)


def _spans(doc: Doc, records, label: str) -> list[Span]:
    out = []
    for r in records:
        span = doc.char_span(r.start, r.end, label=label, alignment_mode="expand")
        if span is not None:
            span._.kehoach = r
            out.append(span)
    return out


class KehoachComponent:
    def __init__(self, kinds: tuple[str, ...]):
        self.kinds = kinds

    def __call__(self, doc: Doc) -> Doc:
        x = extract(_document(doc.text))
        for kind in self.kinds:
            setattr(doc._, kind, _spans(doc, getattr(x, kind), KINDS[kind]))
        doc._.sections = x.sections
        return doc


@Language.factory("kehoach")
def make_all(nlp: Language, name: str) -> KehoachComponent:
    return KehoachComponent(tuple(KINDS))


@Language.factory("kehoach_citations")
def make_citations(nlp: Language, name: str) -> KehoachComponent:
    return KehoachComponent(("citations",))


@Language.factory("kehoach_targets")
def make_targets(nlp: Language, name: str) -> KehoachComponent:
    return KehoachComponent(("targets",))


@Language.factory("kehoach_deadlines")
def make_deadlines(nlp: Language, name: str) -> KehoachComponent:
    return KehoachComponent(("deadlines",))
