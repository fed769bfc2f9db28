"""Harder scans than ../shared/fixtures has: a fax / double photocopy and a phone photo of each page.

usage: python tools/make_hard_scans.py OUT_DIR [--shared ../shared] [--profiles fax,phone]

Inputs are the seeds' text PDFs (../shared/fixtures/<stem>.pdf, true text in fixtures/truth/) and a few
devset plans typeset here from their text (true text written beside them). Deterministic: the same
files give the same bytes. Profiles (the page is rendered at the profile's resolution, then):

* fax:   120 dpi, 3-5 degree skew, low contrast (grey toner on grey paper), strong noise, 900 specks,
         a few horizontal streaks from the scan line, double blur of a copy of a copy, JPEG quality 35.
* phone: 200 dpi, a perspective tilt (corners moved by up to 4 % of the width), uneven light (a lamp's
         falloff across the page, darker by up to 40 %), slight blur, sensor noise, JPEG quality 60.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEEDS = ["000_128bace28e546b8b", "003_cde70750019bb95c"]
DEVSET = ["hcm_174kh_binhdanggioi_2025", "thanhhoa_235kh_quantrac_thuysan_2025"]
FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
         "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"]


@dataclass(frozen=True)
class Profile:
    name: str
    dpi: int
    skew: tuple[float, float]
    ink: float            # grey level of toner
    paper: float          # grey level of paper
    noise: float          # gaussian sigma, grey levels
    blur: float           # gaussian radius, pixels at this dpi (applied twice for a copy of a copy)
    specks: int
    jpeg: int
    tilt: float = 0.0     # perspective: corner displacement as a share of the width
    light: float = 0.0    # darkest share lost to uneven light
    streaks: int = 0


FAX = Profile("fax", 120, (3.0, 5.0), ink=85, paper=215, noise=18.0, blur=0.6, specks=900, jpeg=35, streaks=6)
PHONE = Profile("phone", 200, (0.5, 1.5), ink=45, paper=225, noise=7.0, blur=1.1, specks=0, jpeg=60,
                tilt=0.04, light=0.4)
PROFILES = {p.name: p for p in (FAX, PHONE)}


def seed_for(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:8], "big")


def degrade(img: Image.Image, prof: Profile, rng: np.random.Generator) -> Image.Image:
    """One page as the profile's machine would deliver it (img: grayscale, rendered at prof.dpi)."""
    import cv2
    w, h = img.size
    img = img.filter(ImageFilter.GaussianBlur(prof.blur))
    if prof.name == "fax":
        img = img.filter(ImageFilter.GaussianBlur(prof.blur))          # the copy of a copy
    angle = float(rng.uniform(*prof.skew)) * (1 if rng.random() < 0.5 else -1)
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    a = np.asarray(img, dtype=np.float32) / 255.0
    a = prof.ink + a * (prof.paper - prof.ink)
    if prof.tilt:
        d = prof.tilt * w
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = np.float32([[rng.uniform(0, d), rng.uniform(0, d)], [w - rng.uniform(0, d), rng.uniform(0, d)],
                          [w - rng.uniform(0, d / 2), h - rng.uniform(0, d / 2)],
                          [rng.uniform(0, d / 2), h - rng.uniform(0, d / 2)]])
        m = cv2.getPerspectiveTransform(src, dst)
        a = cv2.warpPerspective(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=110.0)   # the table top
    if prof.light:
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / np.hypot(w, h)
        a *= 1.0 - prof.light * np.clip(dist, 0, 1)
    a += rng.normal(0.0, prof.noise, size=a.shape).astype(np.float32)
    for y in rng.integers(0, h, prof.streaks):
        a[y:y + int(rng.integers(1, 3)), :] *= float(rng.uniform(0.6, 1.15))
    r_max = max(1, prof.dpi // 100)
    for y, x, r in zip(rng.integers(0, h, prof.specks), rng.integers(0, w, prof.specks),
                       rng.integers(1, r_max + 1, prof.specks)):
        a[max(0, y - r):y + r, max(0, x - r):x + r] *= 0.45
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=prof.jpeg)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def save_pdf(pages: list[Image.Image], path: Path, dpi: int) -> None:
    """Image-only PDF, each page at `dpi` (so the PDF tells the scan's resolution)."""
    import time
    fixed = time.strptime("2026-01-01", "%Y-%m-%d")  # no clock in the file: the same input, the same bytes
    pages[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:],
                  creationDate=fixed, modDate=fixed, title="kehoach hard scan")


def scan_pdf(src: Path, out: Path, prof: Profile) -> int:
    import pypdfium2 as pdfium
    rng = np.random.default_rng(seed_for(src.stem, prof.name))
    pdf = pdfium.PdfDocument(str(src))
    pages = [degrade(p.render(scale=prof.dpi / 72, grayscale=True).to_pil().convert("L"), prof, rng) for p in pdf]
    save_pdf(pages, out, prof.dpi)
    return len(pages)


def typeset(text: str, dpi: int, max_pages: int = 3) -> tuple[list[Image.Image], str]:
    """A plain A4 typesetting of a text (13 pt serif, 2 cm margins): page images and the text as placed."""
    font_path = next((f for f in FONTS if Path(f).is_file()), None)
    if font_path is None:
        raise SystemExit("no Vietnamese serif font (fonts-dejavu-core or fonts-liberation2)")
    font = ImageFont.truetype(font_path, int(13 * dpi / 72))
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    margin, step = int(0.8 * dpi), int(13 * dpi / 72 * 1.45)
    lines = []
    for para in text.splitlines():
        para = " ".join(para.replace("\t", "  ").split())
        lines += textwrap.wrap(para, 82) if para else []
    pages, placed, y, page = [], [], margin, None
    for line in lines:
        if page is None or y + step > h - margin:
            if len(pages) == max_pages:
                break
            page = Image.new("L", (w, h), 255)
            pages.append(page)
            y = margin
        ImageDraw.Draw(page).text((margin, y), line, font=font, fill=0)
        placed.append(line)
        y += step
    return pages, "\n".join(placed) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--profiles", default="fax,phone")
    args = ap.parse_args()
    out = args.out
    (out / "truth").mkdir(parents=True, exist_ok=True)
    for name in args.profiles.split(","):
        prof = PROFILES[name]
        for stem in SEEDS:
            n = scan_pdf(args.shared / "fixtures" / f"{stem}.pdf", out / f"{stem}_{name}.pdf", prof)
            (out / "truth" / f"{stem}.txt").write_bytes((args.shared / "fixtures" / "truth" / f"{stem}.txt").read_bytes())
            print(f"{stem}_{name}.pdf: {n} pages")
        for stem in DEVSET:
            from pipeline.reading.ingest import read
            from pipeline.reading.normalize import normalize
            text = normalize(read(args.shared / "devset" / "docs" / f"{stem}.txt")).text
            pages, placed = typeset(text, 300)
            rng = np.random.default_rng(seed_for(stem, name))
            scans = [degrade(p.resize((int(p.width * prof.dpi / 300), int(p.height * prof.dpi / 300)),
                                      Image.LANCZOS), prof, rng) for p in pages]
            save_pdf(scans, out / f"{stem}_{name}.pdf", prof.dpi)
            (out / "truth" / f"{stem}.txt").write_text(placed, encoding="utf-8")
            print(f"{stem}_{name}.pdf: {len(scans)} pages (typeset)")


if __name__ == "__main__":
    main()
