"""A PDF page as an image with the evidence lit on it (the review app's page view, issue 24): the words of
the page with their boxes (the text layer through pdfplumber, else Tesseract on the rendered page), the
evidence's words found among them in order, and the page drawn with those boxes highlighted."""
from __future__ import annotations

import difflib
import io
from functools import lru_cache
from pathlib import Path

import regex

from ..vi import fold

DPI = 110          # the image shown; word boxes are scaled to it
OCR_DPI = 200      # a scanned page is read again at this resolution for its word boxes


def _key(word: str) -> str:
    return fold(regex.sub(r"[^\p{L}\p{N}%]", "", word))


@lru_cache(maxsize=64)
def page_words(path: str, page_no: int, mtime: float) -> tuple[tuple[str, float, float, float, float], ...]:
    """(word, x0, top, x1, bottom) in PDF points of page `page_no` (1-based). `mtime` keys the cache."""
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_no - 1]
        words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
        if sum(len(w["text"]) for w in words) >= 25:
            return tuple((w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in words)
    # a scan: Tesseract's word boxes on the page rendered at OCR_DPI, brought back to points
    import pypdfium2 as pdfium
    import pytesseract
    doc = pdfium.PdfDocument(path)
    try:
        image = doc[page_no - 1].render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    finally:
        doc.close()
    data = pytesseract.image_to_data(image, lang="vie", config="--oem 1 --psm 3", output_type=pytesseract.Output.DICT)
    k = 72 / OCR_DPI
    return tuple((w, data["left"][i] * k, data["top"][i] * k, (data["left"][i] + data["width"][i]) * k,
                  (data["top"][i] + data["height"][i]) * k)
                 for i, w in enumerate(data["text"]) if w.strip())


def find(words, evidence: str) -> list[int]:
    """Indexes of the page words that spell the evidence: the longest runs of its words in order."""
    want = [k for k in (_key(w) for w in evidence.split()) if k]
    have = [_key(w[0]) for w in words]
    if not want or not have:
        return []
    sm = difflib.SequenceMatcher(None, have, want, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks:
        return []
    best = max(b.size for b in blocks)
    keep = [b for b in blocks if b.size >= max(2, best // 3)] or [max(blocks, key=lambda b: b.size)]
    return [b.a + i for b in keep for i in range(b.size)]


def edit_spans(raw_page: str, edits: list[dict], reach: int = 3) -> list[tuple[str, int, int]]:
    """Each OCR edit of a page as (its words with `reach` words of the raw reading on each side, index of
    the edited word among them, how many words it spans), to be found among the page's word boxes."""
    out = []
    for e in edits:
        try:
            at = int(float(e["offset"]))
        except (TypeError, ValueError, KeyError):
            continue
        before = str(e.get("before") or "").split()
        if not before or not 0 <= at <= len(raw_page):
            continue
        left = raw_page[:at].split()[-reach:]
        right = raw_page[at:].split()[len(before):len(before) + reach]
        out.append((" ".join(left + before + right), len(left), len(before)))
    return out


def _edited(words, spans) -> list[int]:
    """Indexes of the page words an edit changed: the edit's context found in order, its own words kept."""
    have = [_key(w[0]) for w in words]
    out = []
    for context, first, n in spans:
        want = [_key(w) for w in context.split()]
        sm = difflib.SequenceMatcher(None, have, want, autojunk=False)
        for b in sm.get_matching_blocks():
            if b.size < min(2, len(want)):
                continue        # a lone word found elsewhere on the page is not this edit's place
            for i in range(b.size):
                if first <= b.b + i < first + n and want[b.b + i]:
                    out.append(b.a + i)
    return out


def render(path: str | Path, page_no: int, evidence: str = "", edits: list[tuple[str, int, int]] = ()) -> bytes:
    """PNG of the page with the evidence's words highlighted (nothing lit when it is not found) and the
    words the OCR repair changed (edit_spans) outlined in magenta."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw
    path = str(path)
    doc = pdfium.PdfDocument(path)
    try:
        if not 1 <= page_no <= len(doc):
            raise IndexError(f"the document has {len(doc)} pages")
        image = doc[page_no - 1].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    if evidence.strip() or edits:
        words = page_words(path, page_no, Path(path).stat().st_mtime)
        lit = find(words, evidence) if evidence.strip() else []
        changed = _edited(words, edits) if edits else []
        if lit or changed:
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            k = DPI / 72
            for i in lit:
                _, x0, top, x1, bottom = words[i]
                draw.rectangle([x0 * k - 1, top * k - 1, x1 * k + 1, bottom * k + 1], fill=(255, 214, 0, 110),
                               outline=(200, 120, 0, 255))
            for i in changed:
                _, x0, top, x1, bottom = words[i]
                draw.rectangle([x0 * k - 3, top * k - 3, x1 * k + 3, bottom * k + 3], outline=(220, 0, 200, 255),
                               width=2)
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
