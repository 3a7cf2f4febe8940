"""Keep scripts, styles and event handlers out of every stored and served text."""

from __future__ import annotations

import html
import re

import nh3

# Anything that could run code if markup were ever rendered raw.
_HAZARD = re.compile(
    r"<\s*/?\s*(?:script|style|iframe|object|embed)\b[^>]*>"
    r"|<[^>]*\bon[a-z]+\s*=[^>]*>"
    r"|javascript\s*:",
    re.IGNORECASE,
)
_BLOCKS = re.compile(
    r"<\s*(script|style)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def has_markup_hazard(text: str) -> bool:
    return bool(_HAZARD.search(text))


def strip_markup(text: str) -> str:
    """Plain text from text that may hold markup: script and style content removed, tags
    dropped, entities decoded. Repeats until stable, so escaped markup cannot come back."""
    for _ in range(4):
        if "<" not in text and "&" not in text:
            break
        before = text
        text = _BLOCKS.sub(" ", text)
        text = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
        text = html.unescape(text)
        if text == before:
            break
    text = _BLOCKS.sub(" ", text)
    return _HAZARD.sub(" ", text)


def clean_text(text: str | None) -> str:
    """The one cleaner for every stored text: markup hazards out, controls out, spaces tidy."""
    if not text:
        return ""
    if _TAG.search(text) or has_markup_hazard(text) or "&" in text:
        text = strip_markup(text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str | None) -> str | None:
    """A cleaned one-line field (a title); None when nothing is left."""
    cleaned = " ".join(clean_text(text).split())
    return cleaned or None
