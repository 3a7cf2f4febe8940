"""Bytes to text: sniff binaries, honour BOMs and declared charsets, refuse mis-encoded input."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import RejectedInput

_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"MZ": "executable",
    b"SQLite format 3": "SQLite database",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_MAX_REPLACEMENT_SHARE = 0.01


def binary_kind(data: bytes) -> str | None:
    """A name for data that is not text (and not a PDF), or None when it may be text."""
    for magic, name in _MAGIC.items():
        if data.startswith(magic):
            return name
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if head and controls / len(head) > 0.1:
        return "binary data"
    return None


def declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, label: str, charset: str | None = None) -> str:
    """Decode `data` or raise RejectedInput naming the problem.

    Order: BOM, charset given by the transport, charset declared in the markup, UTF-8,
    then a detector that must find a coherent reading. A UTF-8 text cut inside its last
    character keeps everything before the cut.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), label)
    declared = charset or declared_charset(data)
    if declared:
        try:
            return _checked(data.decode(declared), label)
        except (UnicodeDecodeError, LookupError) as exc:
            raise RejectedInput(
                f"wrongly encoded: declares {declared} but is not valid {declared} "
                f"at byte {getattr(exc, 'start', '?')}"
            ) from None
    try:
        return _checked(data.decode("utf-8"), label)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason in ("unexpected end of data",):
            return _checked(data[: exc.start].decode("utf-8"), label)
        first_bad = exc.start
    try:  # Western legacy files are the commonest: accept cp1252 when it reads as letters
        western = data.decode("cp1252")
        if _plausible_mostly_ascii(western):
            return _checked(western, label)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.chaos <= 0.1 and best.encoding not in ("utf_8", "ascii"):
        text = data.decode(best.encoding, errors="replace")
        if best.coherence >= 0.2 or _plausible_mostly_ascii(text):
            return _checked(text, label)
    raise RejectedInput(
        f"wrongly encoded: not valid UTF-8 at byte {first_bad}, and no charset declared "
        "or recognisable"
    )


def _plausible_mostly_ascii(text: str) -> bool:
    """A few accented letters in ASCII text: a legacy single-byte file worth reading."""
    extra = [c for c in text if ord(c) > 127]
    if len(extra) > 0.05 * len(text):
        return False
    return sum(1 for c in extra if c.isalpha()) >= 0.9 * len(extra)


def _checked(text: str, label: str) -> str:
    bad = text.count("\ufffd")
    if bad and bad / max(len(text), 1) > _MAX_REPLACEMENT_SHARE:
        raise RejectedInput(f"wrongly encoded: {bad} undecodable characters")
    return text
