"""Source -> Document: one normalized text per document, pages joined with '\\f'."""
from __future__ import annotations

from ...model import Document, Source
from .letterhead import unfold_letterhead
from .layout import unwrap
from ...vi import to_nfc
from .unicode import clean_chars, join_markdown_spans, portal_tables, strip_markup

__all__ = ["normalize", "normalize_pages", "normalize_text"]


def normalize_pages(pages: list[str], paged: bool = True) -> tuple[str, list[int]]:
    """Characters, markup and layout, repeated until stable so that normalizing twice changes nothing."""
    pages = [clean_chars(p) for p in pages]
    text, starts = "\f".join(pages), []
    for _ in range(4):
        marked = [to_nfc(strip_markup(join_markdown_spans(portal_tables(p)))) for p in pages]
        if marked:
            marked[0] = unfold_letterhead(marked[0])
        new, starts = unwrap(marked, paged=paged)
        if new == text:
            break
        text, pages = new, new.split("\f")
    return text, starts


def normalize_text(text: str) -> str:
    """Normalize a plain string the way a text document is normalized."""
    return normalize_pages(text.split("\f"), paged=False)[0]


def normalize(source: Source) -> Document:
    text, page_starts = normalize_pages([p.text for p in source.pages], paged=source.paged)
    return Document(doc_id=source.doc_id, text=text, page_starts=page_starts, source=source)
