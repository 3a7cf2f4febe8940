"""Keep scripts, styles and event handlers out of every stored and served text, and keep
hostile markup (any nesting depth, any run of "<") readable in linear time."""

from __future__ import annotations

import html
import re

import nh3
from lxml import etree

# Anything that could run code if markup were ever rendered raw. Every repeat stops at the
# next "<" (or ">"), so a scan never runs past the next tag start: linear on any input.
_HAZARD = re.compile(
    r"<[\s/]*(?:script|style|iframe|object|embed)\b[^<>]*>?"
    r"|<[^<>]*?\bon[a-z]+\s*=[^<>]*>?"
    r"|javascript\s*:",
    re.IGNORECASE,
)
_OPEN_BLOCK = re.compile(r"<\s*(script|style)\b", re.IGNORECASE)
_CLOSE_BLOCK = {name: re.compile(rf"<\s*/\s*{name}\s*>", re.IGNORECASE)
                for name in ("script", "style")}
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_TAG_START = re.compile(r"</?[a-zA-Z]")
_IN_TAG = re.compile(r""">|=\s*(["'])""")  # a tag's end, or a quoted attribute value
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
_JAVASCRIPT = re.compile("javascript", re.IGNORECASE)


def has_markup_hazard(text: str) -> bool:
    return bool(_HAZARD.search(text))


def _drop_blocks(text: str) -> str:
    """Script and style blocks out, opening tag to closing tag (or to the end when unclosed).
    One forward scan: each search starts where the previous one ended."""
    parts: list[str] = []
    pos = 0
    while (opener := _OPEN_BLOCK.search(text, pos)) is not None:
        end_of_tag = text.find(">", opener.end())
        if end_of_tag < 0:
            break  # no ">" is left, so no later opener can be a tag either
        closer = _CLOSE_BLOCK[opener[1].lower()].search(text, end_of_tag + 1)
        parts += (text[pos:opener.start()], " ")
        pos = closer.end() if closer else len(text)
    parts.append(text[pos:])
    return "".join(parts)


def _tag_end(text: str, pos: int) -> int:
    """Index just past the ">" closing the tag whose name starts at `pos`, skipping quoted
    attribute values; -1 when there is none."""
    while (found := _IN_TAG.search(text, pos)) is not None:
        if found[1] is None:
            return found.end()
        close = text.find(found[1], found.end())
        if close < 0:
            return -1
        pos = close + 1
    return -1


def _drop_tags(text: str) -> str:
    """Every tag out ("<" and a letter, to its ">"), the way an HTML tokenizer reads them, in
    one forward scan. The HTML parser then never sees nesting, which costs it time per level."""
    parts: list[str] = []
    pos, quoted = 0, True
    while (start := _TAG_START.search(text, pos)) is not None:
        end = _tag_end(text, start.end()) if quoted else -1
        if end < 0:  # an unclosed quote: plain ">" from here on, so no scan repeats
            quoted = False
            end = text.find(">", start.end()) + 1
            if not end:
                break  # no ">" is left: no later "<" can be a tag either
        parts.append(text[pos:start.start()])
        if start.start() > pos and text[start.start() - 1] == "<":
            parts.append(" ")  # "<" + "<b>" + "div>" must not become "<div>"
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _drop_hazards(text: str) -> str:
    """The last net. A removal leaves a space, which can (rarely) join its neighbours into a new
    hazard: a few more passes, then every "<" and "javascript" goes, which nothing can rejoin."""
    for _ in range(3):
        text, found = _HAZARD.subn(" ", text)
        if not found or not _HAZARD.search(text):
            return text
    return _JAVASCRIPT.sub(" ", text.replace("<", " "))


def strip_markup(text: str) -> str:
    """Plain text from text that may hold markup: script and style content removed, tags
    dropped, entities decoded. Repeats until stable, so escaped markup cannot come back."""
    for _ in range(4):
        if "<" not in text and "&" not in text:
            break
        before = text
        text = _drop_tags(_drop_blocks(text))
        text = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
        text = html.unescape(text)
        if text == before:
            break
    # Controls out before the last checks, so removing them later cannot join a hazard.
    text = _CONTROL.sub("", text)
    return _drop_hazards(_drop_blocks(text))


def clean_text(text: str | None) -> str:
    """The one cleaner for every stored text: markup hazards out, controls out, spaces tidy."""
    if not text:
        return ""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _TAG.search(text) or has_markup_hazard(text) or "&" in text:
        text = strip_markup(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def strip_controls(text: str) -> str:
    """Control characters out (tab, newline, carriage return stay): no parser or tree API
    accepts them, and no reader needs them."""
    return _CONTROL.sub("", text)


_JS_SCHEME = re.compile(r"javascript\s*:", re.IGNORECASE)


def _colon_defused(scheme: re.Match[str]) -> str:
    return scheme[0][:-1] + "\u2236"


def _defused(hazard: re.Match[str]) -> str:
    found = hazard[0]
    if found.startswith("<"):  # a tag: its "<" and any javascript: address inside it
        return "\u2039" + _JS_SCHEME.sub(_colon_defused, found[1:])
    return _colon_defused(hazard)


def clean_plain(text: str | None) -> str:
    """A plain text tidied, not read as markup: every word kept, whatever tags it mentions.
    Controls go and spaces are tidied; a tag that could run code keeps its words but opens
    with "‹" instead of "<" (and "javascript:" ends with "∶"), so that no stored text holds
    one, even for a reader of the records that shows them unescaped. One pass: a swap
    removes nothing, so it cannot join neighbours into a new hazard."""
    if not text:
        return ""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HAZARD.sub(_defused, text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def plain_line(text: str | None) -> str | None:
    """A one-line field of a plain text (a title); None when nothing is left."""
    cleaned = " ".join(clean_plain(text).split())
    return cleaned or None


def clean_line(text: str | None) -> str | None:
    """A cleaned one-line field (a title); None when nothing is left."""
    cleaned = " ".join(clean_text(text).split())
    return cleaned or None


# Below this many levels a subtree is read as flat paragraphs: HTML parsers drop what lies
# deeper than 256 levels (2048 with huge_tree) and the main-text extractor pays per level.
FLAT_DEPTH = 128
_BLOCK_TAGS = ("p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|tr|td|th|table|section|article|main|"
               "aside|nav|header|footer|blockquote|pre|figure|figcaption|form|address|details|"
               "summary")
_BLOCK = frozenset(re.sub(r"h\[1-6\]", "h1|h2|h3|h4|h5|h6", _BLOCK_TAGS).split("|"))
_BREAK_TAG = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^<>]*>([^<]*)", re.IGNORECASE)
_BODY = re.compile(r"<body\b", re.IGNORECASE)
_PARA = "\x00"


def _paragraphs(element: etree._Element) -> list[str]:
    """The text under `element`, one string per block, in document order (no recursion)."""
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        block = isinstance(node.tag, str) and node.tag.lower() in _BLOCK
        if event == "start":
            parts.append(_PARA if block else "")
            if isinstance(node.tag, str) and node.text:
                parts.append(node.text)
        else:
            parts.append(_PARA if block else "")
            if node is not element and node.tail:
                parts.append(node.tail)
    return [" ".join(p.split()) for p in "".join(parts).split(_PARA) if p.strip()]


def flatten_deep(root: etree._Element, depth: int = FLAT_DEPTH) -> bool:
    """Each element `depth` levels down that has children becomes a <div> of plain <p>
    paragraphs holding all its text; True when any did. Linear: one walk, one per subtree."""
    anchors: list[etree._Element] = []
    level = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        if event == "end":
            level -= 1
            continue
        level += 1
        if level >= depth and len(node):
            anchors.append(node)
            walker.skip_subtree()
    for anchor in anchors:
        paragraphs = _paragraphs(anchor)
        tail = anchor.tail
        anchor.clear()
        anchor.tag, anchor.tail = "div", tail
        for paragraph in paragraphs:
            etree.SubElement(anchor, "p").text = paragraph
    return bool(anchors)


def flat_html(markup: str) -> str:
    """Markup nested too deeply for any parser, as a flat page: its title, then one <p> per
    block of text. Linear, and cleaned like every stored text."""
    title = _TITLE.search(markup)
    head = f"<head><title>{html.escape(clean_line(title[1]) or '')}</title></head>" \
        if title else ""
    body_at = _BODY.search(markup)
    text = clean_text(_BREAK_TAG.sub("\n\n", markup[body_at.start() if body_at else 0:]))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return f"<html>{head}<body>{body}</body></html>"


# An HTML start tag's name, then its attributes one by one, the way an HTML tokenizer reads
# them: a name, then "=" and a quoted or bare value, or nothing.
_START_TAG = re.compile(r"<[a-zA-Z][^\s/>]*")
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>=][^\s/>=]*)(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s>]*))?""")


def limit_attributes(markup: str, limit: int) -> tuple[str, int]:
    """At most `limit` attributes in each start tag: the first ones, the rest dropped (HTML
    parsers compare each attribute with every earlier one, so many cost quadratic time).
    Returns the markup and how many tags lost attributes. One forward scan."""
    parts: list[str] = []
    copied = pos = cut_tags = 0
    while (tag := _START_TAG.search(markup, pos)) is not None:
        pos, count = tag.end(), 0
        while (attribute := _ATTRIBUTE.match(markup, pos)) is not None and attribute.end() > pos:
            if count == limit:
                parts.append(markup[copied:pos])  # the tag with its first `limit` attributes
                cut_tags += 1
            count += 1
            pos = attribute.end()
        if count > limit:
            copied = pos  # the rest of the attributes skipped
    if not cut_tags:
        return markup, 0
    parts.append(markup[copied:])
    return "".join(parts), cut_tags
