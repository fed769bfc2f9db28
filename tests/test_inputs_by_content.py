"""Page images (.jpg, .png, .tif) and Word files named for the other Word format (issue 24, item 6)."""
from __future__ import annotations

import shutil

import pytest

from conftest import SHARED_FIXTURES, need_shared
from pipeline.errors import CorruptFile
from pipeline.reading.ingest import read
from pipeline.reading.normalize import normalize
from pipeline.reading.similarity import char_similarity

STEM = "000_128bace28e546b8b"


def test_a_docx_named_doc_is_read_as_docx(tmp_path):
    need_shared()
    doc = tmp_path / "ke_hoach.doc"
    shutil.copy(SHARED_FIXTURES / f"{STEM}.docx", doc)
    src = read(doc)
    truth = (SHARED_FIXTURES / "truth" / f"{STEM}.txt").read_text(encoding="utf-8")
    assert char_similarity(normalize(src).text, truth) > 0.97
    assert any(w.startswith("format: the file is named .doc but holds a .docx") for w in src.warnings)


def test_a_broken_image_is_a_corrupt_row(tmp_path):
    bad = tmp_path / "trang1.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    with pytest.raises(CorruptFile):
        read(bad)


def _page_images(dpi: int):
    """The text PDF's pages rendered as a scanner would save them."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(SHARED_FIXTURES / f"{STEM}.pdf"))
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(pdf))]
    finally:
        pdf.close()


@pytest.mark.ocr
def test_page_images_are_read_through_ocr(tmp_path):
    """A multi-page TIFF (one plan) and a single PNG page read like a scanned PDF."""
    need_shared()
    pages = _page_images(200)
    tif = tmp_path / "ke_hoach.tif"
    pages[0].save(tif, save_all=True, append_images=pages[1:], dpi=(200, 200), compression="tiff_deflate")
    truth = (SHARED_FIXTURES / "truth" / f"{STEM}.txt").read_text(encoding="utf-8")
    src = read(tif)
    assert len(src.pages) == len(pages) and all(p.ocr for p in src.pages) and src.paged
    assert char_similarity(normalize(src).text, truth) >= 0.95
    png = tmp_path / "trang_1.png"
    pages[0].convert("RGB").save(png)            # no resolution saved: taken from the page's width
    one = read(png)
    assert one.pages[0].ocr and "KẾ HOẠCH" in one.pages[0].text


@pytest.mark.ocr
def test_a_folder_of_page_photos_is_one_plan_with_pages_as_document(tmp_path):
    """Issue 24, item 6: photos of a plan's pages, one file each, read as one plan in name order (numbers
    as numbers: trang2 before trang10)."""
    from pipeline.options import Options
    from pipeline.runner import run
    need_shared()
    pages = _page_images(200)[:2]
    folder = tmp_path / "in" / "truong_a"
    folder.mkdir(parents=True)
    pages[0].convert("RGB").save(folder / "trang2.jpg", quality=90)
    pages[1].convert("RGB").save(folder / "trang10.jpg", quality=90)
    out = tmp_path / "out"
    s = run([tmp_path / "in"], out, Options(progress=False, jobs=1, formats=("csv",), pages_as_document=True))
    assert s.read == 1
    import csv
    with open(out / "documents.csv", encoding="utf-8-sig") as f:
        (doc,) = list(csv.DictReader(f))
    assert doc["n_pages"] == "2" and doc["ocr_pages"] == "2" and doc["source_path"].endswith("truong_a")
    text = (out / "text" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
    assert text.index("KẾ HOẠCH") < text.index("\f")          # trang2 (the first page) comes first
    again = run([tmp_path / "in"], out, Options(progress=False, jobs=1, formats=("csv",), pages_as_document=True))
    assert again.skipped == 1                                   # cached by the bytes of its pages
