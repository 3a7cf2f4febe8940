"""Listing pages and feeds are read in linear time: many summary blocks, many entries.

Each case times the reader on generated pages of n, 2n and 4n blocks (CPU time, best of 3)
and asserts t(4n) / t(n) < 7, where quadratic work gives 16.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import html as lxml_html

from rightsrecord.ingest.listing import (
    looks_like_text_listing,
    parse_html_listing,
    parse_text_listing,
)
from rightsrecord.ingest.readers import read_feed
from tests.extract.linear_util import assert_linear

SUMMARY = ("In 2023, the authorities of Kyrgyzstan tightened control over media and civil "
           "society, and courts jailed several journalists after closed trials.")


def _entry(i: int) -> str:
    return (f'<li><span class="date">Jun {1 + i % 28}, 2024</span> '
            f'<a href="https://example.invalid/{i}">Update {i}</a>'
            f"<p>Police in Bishkek detained {i} activists, their lawyer said.</p></li>\n")


def summaries_page(n: int) -> str:
    """n summary paragraphs, then n dated entries."""
    blocks = "".join(f'<p class="summary">{SUMMARY} Block {i}.</p>\n' for i in range(n))
    entries = "".join(_entry(i) for i in range(n))
    return f"<html><body><h1>Kyrgyzstan</h1>{blocks}<ul>{entries}</ul></body></html>"


def list_summaries_page(n: int) -> str:
    """Summaries as undated <li>, then entries whose text holds the whole <li>."""
    blocks = "".join(f"<li>{SUMMARY} Block {i}.</li>\n" for i in range(n))
    entries = "".join(f'<li>Jun {1 + i % 28}, 2024 <a href="https://example.invalid/{i}">'
                      f"Update {i}</a> teaser {i}</li>\n" for i in range(n))
    return f"<html><body><ul>{blocks}</ul><ul>{entries}</ul></body></html>"


def nested_summaries_page(n: int) -> str:
    """Summary blocks with paragraphs and blocks inside them (each taken once, as a whole)."""
    blocks = "".join(f'<div class="summary"><p>{SUMMARY}</p><p>More on {i}.</p>'
                     f"<div><p>Note {i}</p><ul><li>{i}</li></ul></div></div>\n"
                     for i in range(n))
    entries = "".join(_entry(i) for i in range(20))
    return f"<html><body>{blocks}<ul>{entries}</ul></body></html>"


def text_listing(n: int) -> str:
    blocks = "".join(f"• {SUMMARY} Block {i}.\n\n" for i in range(n))
    entries = "".join(f"• Jun {1 + i % 28}, 2024\n    Police detained {i} activists.\n"
                      "    They were released.\n" for i in range(n))
    return blocks + entries


def feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Update {i}</title><link>https://example.invalid/{i}</link>"
        f"<guid>update-{i}</guid><pubDate>Thu, 04 Apr 2024 09:30:00 +0000</pubDate>"
        f"<description>Police in Almaty detained {i} activists. {SUMMARY}</description>"
        "</item>\n" for i in range(n))
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
            f"<title>Rights desk</title><link>https://example.invalid/</link>{items}"
            "</channel></rss>").encode()


def _html(markup: str) -> object:
    return parse_html_listing(lxml_html.document_fromstring(markup), "https://example.invalid/")


# name -> (reader, input of size n, first n)
CASES: dict[str, tuple[Callable, Callable[[int], object], int]] = {
    "html_summaries_and_entries": (_html, summaries_page, 400),
    "html_list_summaries": (_html, list_summaries_page, 300),
    "html_nested_summaries": (_html, nested_summaries_page, 600),
    "text_listing": (parse_text_listing, text_listing, 800),
    "text_listing_sniff": (looks_like_text_listing, text_listing, 12000),
    "feed": (lambda data: read_feed(data, "feed.xml"), feed, 100),
}


SLOW = {"html_list_summaries", "text_listing_sniff"}  # run with -m slow


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.slow) if name in SLOW else name for name in CASES
])
def test_listing_reader_is_linear(name: str) -> None:
    reader, make, n = CASES[name]
    assert_linear(reader, make, n, name)


def test_nested_summaries_are_taken_once_as_a_whole() -> None:
    summaries, items = _html(nested_summaries_page(3))
    assert len(summaries) == 3 and len(items) == 20
    assert summaries[0].text.startswith(SUMMARY) and "Note 0" in summaries[0].text
