"""Page images a unit sends instead of a PDF: photos and scans as .jpg, .png or .tif (a multi-page TIFF
is one page per frame), read through the same OCR path as a scanned PDF page."""
from __future__ import annotations

from pathlib import Path

from ...errors import CorruptFile, TooLarge
from ...model import Page
from .ocr import DPI, ocr_rendered

A4_WIDTH_IN = 8.27
MAX_SIDE = 6000          # pixels, as for PDF pages


def _page_dpi(frame) -> float | None:
    """The resolution the image says it has, or the one it has if it shows an A4 page across its
    width (a phone photo says 72 or nothing); None when neither makes sense."""
    dpi = frame.info.get("dpi")
    if dpi and dpi[0] and float(dpi[0]) > 72:
        return float(dpi[0])
    short = min(frame.size)
    return round(short / A4_WIDTH_IN, 1) if short > 400 else None


def _at_300(frame, dpi: float | None):
    """The frame in gray, turned upright by its EXIF orientation, scaled to 300 dpi (at most MAX_SIDE
    pixels a side)."""
    from PIL import Image, ImageOps
    img = ImageOps.exif_transpose(frame)
    img = img.convert("L")
    scale = DPI / dpi if dpi else 1.0
    scale = min(scale, MAX_SIDE / max(img.size))
    if abs(scale - 1.0) > 0.05:
        img = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), Image.LANCZOS)
    return img


def read_image(path: Path, max_pages: int = 300, warnings: list | None = None) -> list[Page]:
    from PIL import Image, ImageSequence, UnidentifiedImageError
    try:
        img = Image.open(path)
        frames = getattr(img, "n_frames", 1)
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"image is too large to read safely ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(f"not a readable image: {exc}") from exc
    if frames > max_pages and warnings is not None:
        warnings.append(f"truncated: the image has {frames} pages; only the first {max_pages} were read (--max-pages)")
    pages, state = [], {}
    try:
        for i, frame in enumerate(ImageSequence.Iterator(img)):
            if i >= max_pages:
                break
            dpi = _page_dpi(frame)
            page = ocr_rendered(_at_300(frame, dpi), dpi, state)
            pages.append(page)
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"image is too large to read safely ({exc})") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        if not pages:
            raise CorruptFile(f"the image could not be decoded: {exc}") from exc
        if warnings is not None:
            warnings.append(f"truncated: page {len(pages) + 1} of the image could not be decoded ({exc}); "
                            f"the {len(pages)} pages before it were read")
    if any(p.at_risk for p in pages):
        from .repair import repair_pages
        repair_pages(pages)
    if warnings is not None:
        for i, p in enumerate(pages, 1):
            if p.ocr and p.source_dpi and p.source_dpi < 220:
                warnings.append(f"ocr_low_resolution: page {i} is about {p.source_dpi:g} dpi; check it by hand")
    return pages
