"""Bytes to text without mojibake: BOMs, UTF-16 without BOM, damaged UTF-8, legacy code pages."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats that get renamed to .txt by accident.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "ELF executable"),
)

# The first bytes of those: most pages start with none of them, and skip the thirteen tests.
_SIGNATURE_STARTS = frozenset(signature[:1] for signature, _ in (*_BOMS, *_MAGIC))

# Code pages charset-normalizer confuses with Windows-1252 on short Western texts.
_WESTERN_LOOKALIKES = {"ascii", "utf_8", "cp1250", "cp1252", "latin_1", "cp1257", "cp850", "cp437"}

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_CONTROL_BYTES = frozenset([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# Every other byte: deleting them leaves the control bytes, counted at C speed (a regex scan of a page
# cost more than decoding it).
_NOT_CONTROL_BYTES = bytes(byte for byte in range(256) if byte not in _CONTROL_BYTES)


class UndecodableError(ValueError):
    """The bytes are not text; `reason` is the quarantine code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    repairs: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> Decoded:
    """Decode one document, saying which encoding was used and what had to be repaired."""
    if data[:1] in _SIGNATURE_STARTS:
        for bom, encoding in _BOMS:
            if data.startswith(bom):
                return _decode_known(data[len(bom):], encoding, repairs=[])
        for magic, what in _MAGIC:
            if data.startswith(magic):
                raise UndecodableError("binary", f"looks like {what}, not text")
    repairs: list[str] = []
    nul_count = data.count(b"\x00")
    if nul_count:
        utf16 = _guess_utf16_without_bom(data)  # it needs NUL bytes
        if utf16:
            return _decode_known(data, utf16, repairs=[])
        if nul_count > max(8, len(data) // 100):
            raise UndecodableError("binary", f"{nul_count} NUL bytes in {len(data)} bytes: not text")
        data = data.replace(b"\x00", b"")
        repairs.append(f"removed {nul_count} NUL bytes")
    controls = len(data[:65536].translate(None, _NOT_CONTROL_BYTES))
    if controls > max(16, min(len(data), 65536) // 20):
        raise UndecodableError("binary", f"{controls} control bytes in the first 64 KiB: not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", repairs)
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        repairs.append(f"replaced {bad} invalid UTF-8 sequences")
        return Decoded(text, "utf-8", repairs)
    return _decode_legacy(data, repairs)


def _decode_known(data: bytes, encoding: str, repairs: list[str]) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding, repairs)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        return Decoded(text, encoding, [*repairs, f"replaced {text.count(chr(0xFFFD))} invalid {encoding} sequences"])


def _guess_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly ASCII/Latin has a NUL in every other byte: which side tells the order."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:  # most pages: one C scan instead of two strided copies
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_legacy(data: bytes, repairs: list[str]) -> Decoded:
    """Not UTF-8: ask charset-normalizer; Windows-1252 is the usual answer for Western pages."""
    best = from_bytes(data[:262144]).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in _WESTERN_LOOKALIKES or encoding.startswith(("iso8859", "mac_")):
        encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text:
            repairs.append("replaced bytes undefined in cp1252")
    return Decoded(text, codecs.lookup(encoding).name, repairs)
