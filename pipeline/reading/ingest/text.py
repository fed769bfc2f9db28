"""Plain text, markdown and HTML: detect the encoding, keep the characters."""
from __future__ import annotations

import codecs

from ...errors import DecodeFailed
from ...model import Page
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
        return _utf16(data[2:], "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be", warnings)
    if (order := _utf16_without_bom(data)):
        return _utf16(data, order, warnings)
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


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: Vietnamese text in it has a zero byte in most code units (ASCII
    letters, spaces, digits), in the odd places (little-endian) or the even ones (big-endian)."""
    head = data[:4096]
    if len(head) < 4:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    units = len(head) // 2
    if odd > 0.3 * units and even < 0.05 * units:
        return "utf-16-le"
    if even > 0.3 * units and odd < 0.05 * units:
        return "utf-16-be"
    return None


def _utf16(data: bytes, codec: str, warnings: list | None) -> str:
    """UTF-16 text; a last odd byte (a file cut short) and unpaired surrogates are replaced, with a warning."""
    if len(data) % 2 and warnings is not None:
        warnings.append("encoding: UTF-16 text with an odd number of bytes (cut short?): its last byte is dropped")
    text = data[:len(data) - len(data) % 2].decode(codec, errors="replace")
    if "\ufffd" in text and warnings is not None:
        warnings.append(f"encoding: {text.count(chr(0xFFFD))} UTF-16 code unit(s) that are no character replaced with U+FFFD")
    return text


def read_text(data: bytes, suffix: str, warnings: list | None = None) -> list[Page]:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and not _utf16_without_bom(data):
        raise DecodeFailed("file looks binary, not text")
    text = decode_bytes(data, warnings)
    pages = text.split("\f")
    return [Page(text=p) for p in pages]
