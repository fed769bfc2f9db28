"""Bad scan pages read line by line (issue 23, item 2), on the shared fixtures' pages."""
from __future__ import annotations

import pytest
from PIL import ImageDraw

from conftest import SHARED_FIXTURES, need_shared

SEED = "000_128bace28e546b8b"


def _render(path, index: int = 0):
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[index].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()


def _rows(lines) -> list[tuple[int, int]]:
    """The text rows the line boxes make (two boxes side by side, two columns, are one row)."""
    rows: list[list[int]] = []
    for ln in sorted(lines, key=lambda ln: ln.y0):
        if rows and min(ln.y1, rows[-1][1]) - max(ln.y0, rows[-1][0]) > 0.5 * min(ln.y1 - ln.y0, rows[-1][1] - rows[-1][0]):
            rows[-1] = [min(rows[-1][0], ln.y0), max(rows[-1][1], ln.y1)]
        else:
            rows.append([ln.y0, ln.y1])
    return [tuple(r) for r in rows]


def test_lines_are_found_on_a_scanned_page_and_a_table_ruling_is_none():
    """Three paragraphs of seed 000's first page (300-dpi scan): 4 + 3 + 2 lines; a table's rulings
    drawn across the region (between two lines, down the margin, under a line's letters, short cell
    dividers beside the text) add none and join none."""
    need_shared()
    from pipeline.reading.ingest.ocr_lines import find_lines
    region = _render(SHARED_FIXTURES / f"{SEED}_scan.pdf").crop((0, 700, 2482, 1440))
    rows = _rows(find_lines(region))
    assert len(rows) == 9
    assert all(b - a < 100 for a, b in rows)             # no two lines taken for one
    ruled = region.copy()
    d = ImageDraw.Draw(ruled)
    d.line([(300, 310), (2420, 310)], fill=0, width=4)  # between "THCS;" and the next paragraph
    d.line([(340, 0), (340, 739)], fill=0, width=3)     # down the left margin
    d.line([(300, 86), (2420, 86)], fill=0, width=3)    # under the first line, touching its letters
    d.line([(2445, 160), (2445, 300)], fill=0, width=3)  # a cell's divider beside the text (letter-sized
    d.line([(2400, 520), (2400, 660)], fill=0, width=3)  # blobs: lines, were rulings not erased first)
    after = _rows(find_lines(ruled))
    assert len(after) == 9
    assert all(b - a < 100 for a, b in after)
    assert not any(a <= 310 <= b for a, b in after)      # the ruling between paragraphs is no line


@pytest.mark.ocr
def test_a_bad_page_keeps_a_line_reading_only_where_it_is_surer():
    """The top of seed 000's 150-dpi copy, prepared as a low-resolution page is (despeckled, deskewed):
    each found line keeps the page's words unless its own reading has a higher mean word confidence;
    the words read line by line carry boxes in page coordinates, inside their line; the page text and
    its words (with their confidences) stay one sequence."""
    need_shared()
    from PIL import Image

    from pipeline.reading.ingest.ocr import _layout_text, despeckle, skew_angle, tesseract_data
    from pipeline.reading.ingest.ocr_lines import _words, reread_lines
    page = despeckle(_render(SHARED_FIXTURES / f"{SEED}_lowq_scan.pdf"))
    page = page.rotate(skew_angle(page), resample=Image.BICUBIC, fillcolor=255, expand=True)
    region = page.crop((0, 0, page.width, 1600))
    data = tesseract_data(region, "--oem 1 --psm 3")
    merged, summary = reread_lines(region, data)
    decisions = [d for d in summary["decisions"] if d[1] and d[3] is not None]
    assert len(decisions) >= 10
    kept = [d for d in decisions if d[4]]
    assert kept and len(kept) < len(decisions)           # some lines read better alone, some not
    for ln, own, page_conf, line_conf, keep in decisions:
        assert keep == (line_conf > page_conf)
    as_read = {(data["text"][i], data["left"][i], data["top"][i]) for i in _words(data)}
    now = {(merged["text"][i], merged["left"][i], merged["top"][i]) for i in _words(merged)}
    for ln, own, _, _, keep in decisions:
        if not keep:                                      # the page's words stay where no line is surer
            assert {(data["text"][i], data["left"][i], data["top"][i]) for i in own} <= now
    new = [i for i in _words(merged) if (merged["text"][i], merged["left"][i], merged["top"][i]) not in as_read]
    assert new
    boxes = [d[0] for d in kept]
    for i in new:
        cx, cy = merged["left"][i] + merged["width"][i] / 2, merged["top"][i] + merged["height"][i] / 2
        assert any(b.x0 - 20 <= cx <= b.x1 + 20 and b.y0 - 30 <= cy <= b.y1 + 20 for b in boxes)
    words: list = []
    text = _layout_text(merged, words)
    assert " ".join(w for w, _ in words) == " ".join(text.split())
    assert all(0 <= c <= 100 for _, c in words)


@pytest.mark.ocr
def test_a_clean_page_is_not_read_line_by_line(monkeypatch):
    """A 300-dpi page read surely is read once, as before: no line reading at all."""
    need_shared()
    from pipeline.reading.ingest import ocr, ocr_lines

    def refuse(*a, **k):
        raise AssertionError("a clean page was read line by line")
    monkeypatch.setattr(ocr_lines, "reread_lines", refuse)
    page = ocr.ocr_rendered(_render(SHARED_FIXTURES / f"{SEED}_scan.pdf"), 300.0)
    assert not page.at_risk and page.confidence >= ocr.LINES_BELOW and page.text
