"""Plain text, markdown and HTML: detect the encoding, keep the characters."""
from __future__ import annotations

import codecs

from ..errors import DecodeFailed
from ..model import Page
from ..normalize.legacy import detect_legacy, legacy_decode


# TCVN3 and VNI fonts keep Windows-1252 punctuation at 0x80-0x9F; read as Latin-1 they are C1 controls
_C1_PUNCT = {0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x85: "…", 0x8B: "‹",
             0x9B: "›", 0x99: "™"}


def _legacy(raw: str, kind: str) -> str:
    return legacy_decode(raw, kind).translate(_C1_PUNCT)


def _mostly_utf8(data: bytes, warnings: list | None) -> str | None:
    """UTF-8 with a few stray bytes (a copy-paste accident): keep the text, replace the bytes, say where."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as first:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
        if bad <= max(3, len(text) // 1000) and multibyte >= 3 * bad:
            if warnings is not None:
                warnings.append(f"encoding: {bad} byte(s) that are not UTF-8 replaced with U+FFFD "
                                f"(the first at byte {first.start})")
            return text
        return None


def decode_bytes(data: bytes, warnings: list | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM), else Windows-1258; legacy TCVN3/VNI converted."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if len(data) > 3 and data[1:20:2].count(0) > 6:       # UTF-16 without BOM
        return data.decode("utf-16-le", errors="replace")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _mostly_utf8(data, warnings)
    if text is None:
        legacy = detect_legacy(data.decode("latin-1"))
        if legacy:
            return _legacy(data.decode("latin-1"), legacy)
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise DecodeFailed(f"text is neither UTF-8, UTF-16, Windows-1258 nor TCVN3/VNI "
                               f"(byte 0x{data[exc.start]:02X} at offset {exc.start} fits none)") from exc
        return text
    legacy = detect_legacy(text)
    return _legacy(text, legacy) if legacy else text


def read_text(data: bytes, suffix: str, warnings: list | None = None) -> list[Page]:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and data[1:20:2].count(0) <= 6:
        raise DecodeFailed("file looks binary, not text")
    text = decode_bytes(data, warnings)
    pages = text.split("\f")
    return [Page(text=p) for p in pages]
