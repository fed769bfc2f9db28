"""Source -> Document: one normalized text per document, pages joined with '\\f'."""
from __future__ import annotations

from ..model import Document, Source
from .layout import unwrap
from .unicode import clean_chars, strip_markup, tone_key

__all__ = ["normalize", "normalize_text", "tone_key"]


def normalize_text(text: str) -> str:
    """Normalize a plain string the way a one-page document is normalized."""
    out, _ = unwrap([strip_markup(clean_chars(p)) for p in text.split("\f")], paged=False)
    return out


def normalize(source: Source) -> Document:
    pages = [strip_markup(clean_chars(p.text)) for p in source.pages]
    text, page_starts = unwrap(pages, paged=source.paged)
    return Document(doc_id=source.doc_id, text=text, page_starts=page_starts, source=source)
