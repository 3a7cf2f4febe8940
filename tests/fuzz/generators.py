"""Hostile inputs for every reader, as Hypothesis strategies.

Each strategy gives a FuzzInput: bytes to write as a file with the given suffix (the document
readers) or one line of a JSON-lines file (reader "jsonl"). Large inputs are built from small
draws (a depth, a count, a repeat), so a draw stays cheap however big the input; valid and
hostile parts are mixed, so most inputs get past the first check and into the stages.

CANARY stands for the absolute path of a file the harness writes, holding a secret (a feed
whose only entry carries it): an input that names it (a feed body that is the path, an
external entity, a link, an include) must never bring the secret into the output.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.extract.linear_util import COUNTRIES, DATES, NAMES, PROSE, TRIGGERS
from tests.ingest.pdfmaker import make_pdf

CANARY = "/@CANARY@"
MAX_CHARS = 1_000_000  # inputs stay small enough for 100,000 of them in well under an hour


@dataclass(frozen=True)
class FuzzInput:
    reader: str  # html | text | listing | feed | pdf | jsonl
    suffix: str  # the file name's ending (document readers)
    data: bytes  # the file's bytes, or one JSON line without its line break


def weighted(*pairs: tuple[int, object]) -> st.SearchStrategy:
    """A value drawn with the given weights (sampled_from over repeats). The first value
    fills both ends of the list: Hypothesis favours the ends, and the rare (costly) values
    must stay rare for a long run to keep its pace."""
    (weight, first), rest = pairs[0], pairs[1:]
    middle = [value for w, value in rest for _ in range(w)]
    return st.sampled_from([first] * (weight - weight // 2) + middle + [first] * (weight // 2))


# ---------------------------------------------------------------- shared pieces

SENTENCES = [
    *PROSE,
    *(f"{NAMES[i % len(NAMES)]} {NAMES[(i * 7 + 3) % len(NAMES)]} was {t} in "
      f"{COUNTRIES[i % len(COUNTRIES)]} {DATES[i % len(DATES)]}."
      for i, t in enumerate(TRIGGERS)),
]
sentence = st.sampled_from(SENTENCES)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)

HOSTILE_SNIPPETS = [
    "\x00", "\x01\x02\x03", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\u2028",
    "\u2029", "\ufeff", "\u202e", "\u200b", "\ufffd", "\U0001f600", "e\u0301\u0301\u0301",
    "\uffff", "\r", "\r\n", "\t" * 40, " " * 500, "&amp;", "&#0;", "&#x110000;", "&#xD800;",
    "&lt;script&gt;alert(1)&lt;/script&gt;", "<", ">", "]]>", "<!--", "-->", "%PDF-", "<?xml",
    "<script>alert(1)</script>", "<p>", "</div>", "<!doctype html>", "• Feb 27, 9999",
    "Ã©â€™", "\\u0000", "'; DROP TABLE documents; --", "%s%s%n", "{{7*7}}", "${jndi:x}",
    "A" * 3000, "é" * 1000, "\U0010ffff",
]
hostile_snippet = st.sampled_from(HOSTILE_SNIPPETS)

PATHS = [
    "/etc/passwd", CANARY, "file://" + CANARY, "/dev/zero", "/dev/urandom", "/proc/self/environ",
    "../../../../etc/shadow", "~/.ssh/id_rsa", "C:\\Windows\\win.ini", "\\\\server\\share\\x",
]
URLS = [
    "https://example.org/news/1.html", "http://127.0.0.1:1/admin", "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/", "http://2130706433/", "http://localhost/",
    "https://user:hunter2@example.org/x", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "ftp://example.org/x",
    "//example.org/x", "/relative/path.html", "#top", "https://example.org/" + "a" * 3000,
    "https://exa\u0000mple.org/", "https://xn--80ak6aa92e.com/", "file://" + CANARY,
]
path_or_url = st.sampled_from(PATHS + URLS)

YEARS = [0, 1, 99, 999, 1000, 1899, 1970, 2014, 2015, 2024, 2038, 9999, 10000, 99999,
         2**31, 2**63]
year = weighted((6, 2024), (3, 2015), (1, 9999), (1, 1), (1, 0), (1, 10000),
                (1, 99999), (1, 2**31), (1, 2**63), (1, 1899), (1, 2038), (1, 999))
MONTHS = ["Jan", "Feb", "Mar", "April", "May", "June", "Sept", "Dec", "February",
          "Febr", "Xyz", "Mai", "Февраль", "13"]
day = weighted((6, 27), (2, 1), (1, 0), (1, 31), (1, 32), (1, 99), (1, 30))


@st.composite
def date_text(draw: st.DrawFn) -> str:
    y, m, d = draw(year), draw(st.sampled_from(MONTHS)), draw(day)
    shape = draw(st.integers(0, 5))
    if shape == 0:
        return f"{m} {d}, {y}"
    if shape == 1:
        return f"{d} {m} {y}"
    if shape == 2:
        return f"{y:04d}-{draw(st.integers(0, 13)):02d}-{d:02d}"
    if shape == 3:
        return f"{m} {d} {y}"
    if shape == 4:
        return f"Monday, {m} {d}, {y}"
    return f"{d}/{draw(st.integers(0, 13))}/{y}"


@st.composite
def sprinkled(draw: st.DrawFn, text: str, most: int = 4) -> str:
    """text with up to `most` hostile snippets put in at drawn places."""
    for _ in range(draw(st.integers(0, most))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(hostile_snippet) + text[at:]
    return text


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
             "utf-32", "cp1251", "latin-1", "cp1252", "shift_jis", "koi8-r", "broken", "mixed"]


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """text as bytes in a drawn encoding, or broken in a drawn way."""
    name = draw(st.sampled_from(ENCODINGS))
    if name == "broken":
        data = text.encode("utf-8", "surrogatepass")
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80",
                                                 b"\xc0\xaf", b"\xf8\x88\x80\x80\x80"])) + data[at:]
    if name == "mixed":
        half = len(text) // 2
        return text[:half].encode("utf-8", "replace") + text[half:].encode("cp1251", "replace")
    return text.encode(name, "replace")


def cut(data: bytes, at: int) -> bytes:
    """data truncated at a fraction `at` / 100 of its length."""
    return data[: len(data) * at // 100]


# ---------------------------------------------------------------- plain text


@st.composite
def text_line(draw: st.DrawFn) -> str:
    shape = draw(weighted((16, "prose"), (4, "tag"), (6, "bullet"), (4, "teaser"),
                          (2, "summary"), (1, "huge"), (2, "date"), (2, "blank"), (2, "bare")))
    if shape == "prose":
        return draw(paragraph)
    if shape == "tag":
        tag = draw(st.sampled_from(["<script>", "</p>", "<b>bold</b>", "<html>", "<body>",
                                    "<!doctype html>", "<rss>", "<feed>", "<p onclick=x>",
                                    "<style>p{}</style>", "<a href='javascript:x'>"]))
        return f"The {tag} tag was mentioned: {draw(sentence)}"
    if shape == "bullet":
        bullet = draw(st.sampled_from(["•", "·", "▪", "◦", "*", "-", "••", "‣"]))
        indent = draw(st.sampled_from(["", "  ", "\t"]))
        return f"{indent}{bullet} {draw(date_text())}"
    if shape == "teaser":
        return "    " + draw(sentence)
    if shape == "summary":
        return f"• In {draw(year)}, {draw(sentence)}"
    if shape == "huge":
        return draw(sentence) * draw(weighted((12, 20), (3, 100), (1, 400)))
    if shape == "date":
        return draw(date_text())
    if shape == "bare":
        return draw(st.sampled_from(["•", "-", "*", "  •  ", "• ", "0", ".", "\u00a0"]))
    return ""


@st.composite
def text_inputs(draw: st.DrawFn) -> FuzzInput:
    lines = draw(st.lists(text_line(), min_size=1, max_size=6))
    lines *= draw(weighted((40, 1), (4, 3), (1, 30)))
    text = draw(sprinkled("\n".join(lines)[:MAX_CHARS]))
    suffix = draw(weighted((6, ".txt"), (1, ""), (1, ".md"), (1, ".TXT"), (1, ".html"),
                           (1, ".pdf"), (1, ".xml")))
    return FuzzInput("text", suffix, draw(encoded(text)))


# ---------------------------------------------------------------- listing pages


@st.composite
def text_listing(draw: st.DrawFn) -> str:
    bullet = draw(st.sampled_from(["•", "·", "▪", "◦", "*", "-"]))
    out = [f"{bullet} In {draw(year)}, {draw(paragraph)}"
           for _ in range(draw(st.integers(0, 2)))]
    entries = draw(weighted((60, 2), (40, 3), (20, 5), (10, 1), (4, 20), (1, 1000)))
    dates = draw(st.lists(date_text(), min_size=1, max_size=6))
    teasers = draw(st.lists(sentence, min_size=1, max_size=4))
    for i in range(entries):
        out.append(f"  {bullet} {dates[i % len(dates)]}")
        if i % 3 != 2 and i < 20:
            out.append("    " + teasers[i % len(teasers)])
    return "\n".join(out)


@st.composite
def html_listing(draw: st.DrawFn) -> str:
    entries = draw(weighted((60, 2), (40, 3), (20, 5), (4, 20), (1, 1000)))
    dates = draw(st.lists(date_text(), min_size=1, max_size=6))
    hrefs = draw(st.lists(path_or_url, min_size=1, max_size=4))
    teaser = draw(paragraph)
    shape = draw(st.sampled_from(["ul", "ol", "table", "div", "nested", "titles-first"]))
    rows = []
    for i in range(entries):
        d, h = dates[i % len(dates)], hrefs[i % len(hrefs)]
        title = f"<a href=\"{h}\" onclick=\"alert({i})\">{draw(sentence) if i < 3 else 'T'}</a>"
        if shape == "table":
            rows.append(f"<tr><td>{d}</td><td>{title}</td></tr>")
        elif shape == "div":
            rows.append(f"<div class=\"item\"><time datetime=\"{d}\">{d}</time>{title}</div>")
        elif shape == "titles-first":
            rows.append(f"<li>{title} <span>{d}</span></li>")
        elif shape == "nested":
            rows.append(f"<li>{d} {title}<ul><li>{d}<ul><li>{teaser}</li></ul></li></ul></li>")
        else:
            rows.append(f"<li>{d} {title}<p>{teaser if i % 2 and i < 20 else ''}</p></li>")
    wrap = {"ul": "ul", "ol": "ol", "table": "table", "div": "section"}.get(shape, "ul")
    summaries = "".join(f"<div class=\"summary\"><p>In {draw(year)}, {draw(paragraph)}</p></div>"
                        for _ in range(draw(st.integers(0, 2))))
    return (f"<!doctype html><html><head><title>{draw(sentence)}</title></head><body>"
            f"{summaries}<{wrap}>{''.join(rows)}</{wrap}></body></html>")


@st.composite
def listing_inputs(draw: st.DrawFn) -> FuzzInput:
    if draw(st.booleans()):
        text = draw(sprinkled(draw(text_listing()), 2))
        return FuzzInput("listing", draw(st.sampled_from([".txt", ".txt", ""])),
                         draw(encoded(text)))
    page = draw(sprinkled(draw(html_listing()), 2))
    return FuzzInput("listing", draw(st.sampled_from([".html", ".htm", ""])), draw(encoded(page)))


# ---------------------------------------------------------------- HTML pages

SCRIPTS = [
    "<script>var s = '</p><p>not text';\x00\x01</script>\x00\x1b\x07",
    "<script>alert(1)</script>\x01\x02\x03\x04",
    "<style>p{color:red}\x0c</style>\x0b\x0e",
    "<script><!--<script>--></script>",
    "<script type=\"application/ld+json\">{\"datePublished\": \"9999-99-99\", "
    "\"headline\": \"<script>alert(1)</script>\"}</script>",
    "<script type=\"application/ld+json\">" + "[" * 5000 + "]" * 5000 + "</script>",
    "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"datePublished\": "
    "\"0001-01-01\", \"author\": {\"name\": " + "{\"a\": " * 400 + "1" + "}" * 400 + "}}</script>",
    "<noscript><p>noscript text</p></noscript>", "<template><p>template</p></template>",
    "<svg><script>alert(1)</script><foreignObject><p>svg text</p></foreignObject></svg>",
    "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">link</a>",
    "<iframe srcdoc=\"<script>alert(1)</script>\" src=\"file://" + CANARY + "\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<![CDATA[<script>alert(1)</script>]]>", "<!-- unclosed comment <p>hidden",
    "<?php echo 1 ?>", "<xmp><script>alert(1)</script></xmp>", "<plaintext><b>rest",
    "<textarea><script>alert(1)</script></textarea>", "<script>",
    "<object data=\"file://" + CANARY + "\"></object><embed src=\"/dev/zero\">",
    "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"" + CANARY
    + "\" parse=\"text\"/>",
    "<link rel=\"stylesheet\" href=\"" + CANARY + "\"><img src=\"/dev/zero\">",
    "<base href=\"file:///etc/\"><a href=\"passwd\">passwd</a>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;script&amp;gt;",
    "<p>" + "<" * 3000 + "</p>", "<p>" + "&" * 2000 + "#" * 100 + "</p>",
]
TAGS = ["div", "span", "b", "p", "blockquote", "section", "li", "table", "td", "a", "font"]
CHARSET_LIES = ["utf-8", "utf-16", "utf-7", "x-nonexistent", "shift_jis", "iso-8859-1",
                "windows-1251", "", "utf-8\" onload=\"x", "UTF-32", "ascii"]


@st.composite
def html_block(draw: st.DrawFn) -> str:
    shape = draw(weighted((12, "para"), (6, "script"), (3, "deep"), (2, "attrs"),
                          (2, "unclosed"), (2, "entity"), (2, "list")))
    if shape == "para":
        return f"<p>{draw(sprinkled(draw(paragraph), 2))}</p>"
    if shape == "script":
        return draw(st.sampled_from(SCRIPTS))
    if shape == "deep":
        tag = draw(st.sampled_from(TAGS))
        depth = draw(weighted((16, 50), (8, 200), (4, 700), (2, 2100), (1, 5000)))
        text = draw(sentence)
        return f"<{tag}>" * depth + text + f"</{tag}>" * depth
    if shape == "unclosed":
        return f"<{draw(st.sampled_from(TAGS))}>" * draw(weighted((6, 100), (1, 3000))) \
            + draw(sentence)
    if shape == "attrs":
        count = draw(weighted((12, 50), (4, 2000), (1, 20000)))
        value = draw(st.sampled_from(["x", "javascript:alert(1)", "\x00\x01",
                                      "\"><script>alert(1)</script>"]
                                     + (["a" * 1000] if count <= 50 else [])))
        attrs = " ".join(f"a{i}=\"{value}\"" for i in range(count))
        return f"<p {attrs} onclick=\"x\" onclick=\"y\">{draw(sentence)}</p>"
    if shape == "entity":
        return "<p>" + "".join(draw(st.lists(st.sampled_from(
            ["&amp;", "&#0;", "&#x110000;", "&#xD800;", "&#65;", "&nbsp;", "&bogus;", "&",
             "&#99999999999;", "&lt;", "&#x0;"]), min_size=1, max_size=20))) + "</p>"
    items = "".join(f"<li>{s}</li>" for s in draw(st.lists(sentence, min_size=1, max_size=5)))
    return f"<ul>{items}</ul>"


@st.composite
def html_page(draw: st.DrawFn) -> tuple[str, str]:
    """(markup, the charset its meta declares)."""
    charset = draw(st.sampled_from(CHARSET_LIES))
    head = [f"<meta charset=\"{charset}\">"] if draw(st.booleans()) else []
    if draw(st.booleans()):
        head.append(f"<meta http-equiv=\"Content-Type\" content=\"text/html; "
                    f"charset={draw(st.sampled_from(CHARSET_LIES))}\">")
    if draw(st.booleans()):
        head.append(f"<link rel=\"canonical\" href=\"{draw(path_or_url)}\">")
    if draw(st.booleans()):
        head.append(f"<meta property=\"article:published_time\" content=\"{draw(year)}-12-31\">"
                    f"<meta property=\"og:title\" content=\"{draw(hostile_snippet)}\">")
    title = draw(sprinkled(draw(sentence), 2))
    doctype = draw(st.sampled_from([
        "<!doctype html>", "", "<?xml version=\"1.0\"?>",
        f"<!DOCTYPE html [<!ENTITY x SYSTEM \"file://{CANARY}\">]>",
        "<!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>",
    ]))
    body = "".join(draw(st.lists(html_block(), min_size=1, max_size=4)))
    if "ENTITY" in doctype:
        body += "<p>&x; &b;</p>"
    trailer = draw(st.sampled_from(["", "\x00\x01\x02", "</html>" * 3, "<script>", "<!--"]))
    page = (f"{doctype}<html><head><title>{title}</title>{''.join(head)}</head>"
            f"<body>{body}</body></html>{trailer}")
    return page, charset


@st.composite
def html_inputs(draw: st.DrawFn) -> FuzzInput:
    page, charset = draw(html_page())
    if draw(st.booleans()) and charset in ("utf-16", "shift_jis", "iso-8859-1", "windows-1251"):
        data = page.encode(charset, "replace")  # the declaration tells the truth
    else:
        data = draw(encoded(page))  # ... or not
    if draw(weighted((9, False), (1, True))):
        data = cut(data, draw(st.integers(1, 99)))
    suffix = draw(weighted((6, ".html"), (1, ".htm"), (1, ""), (1, ".txt"), (1, ".xml")))
    return FuzzInput("html", suffix, data)


# ---------------------------------------------------------------- RSS and Atom feeds

DOCTYPES = [
    "",
    f"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://{CANARY}\">]>",
    f"<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"{CANARY}\">]>",
    "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///dev/zero\">]>",
    "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"http://127.0.0.1:1/x\">]>",
    f"<!DOCTYPE rss [<!ENTITY % p SYSTEM \"file://{CANARY}\"> %p;]>",
    "<!DOCTYPE rss [<!ENTITY xxe \"x\"><!ENTITY y \"&xxe;&xxe;&xxe;&xxe;&xxe;&xxe;&xxe;&xxe;\">"
    "<!ENTITY z \"&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;&y;\">]>",
    "<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" "
    "\"http://127.0.0.1:1/rss-0.91.dtd\">",
]
PUBDATES = ["Fri, 27 Feb 2015 10:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 01 Jan 0001 00:00:00 GMT", "Sun, 31 Feb 2024 25:61:61 +9999", "yesterday",
            "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "0000-00-00", "2015-02-27",
            "Thu, 01 Jan 1970 00:00:00 +0000", "", "99999-01-01T00:00:00Z", "\x00"]
BODIES = [*PATHS, *URLS, "<![CDATA[<script>alert(1)</script><p>cdata text</p>]]>",
          "&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;escaped text&lt;/p&gt;",
          "&lt;img src=x onerror=alert(1)&gt;", "&xxe;", "&z;", "&undefined;"]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def feed_document(draw: st.DrawFn) -> str:
    flavour = draw(st.sampled_from(["rss", "atom", "rdf"]))
    # Every entry is a text the stages read: thousands of them are the costliest input there
    # is, so they stay rare.
    count = draw(weighted((120, 2), (60, 4), (40, 0), (40, 1), (8, 30), (1, 1000)))
    titles = draw(st.lists(sentence, min_size=1, max_size=3))
    bodies = draw(st.lists(st.one_of(st.sampled_from(BODIES), paragraph.map(_esc)),
                           min_size=1, max_size=4))
    dates = draw(st.lists(st.sampled_from(PUBDATES), min_size=1, max_size=3))
    links = draw(st.lists(path_or_url, min_size=1, max_size=3))
    entries = []
    for i in range(count):
        title = _esc(titles[i % len(titles)]) if i < 20 else f"Entry {i}"
        body = bodies[i % len(bodies)] if i < 20 else ""
        d, link = dates[i % len(dates)], _esc(links[i % len(links)])
        if flavour == "atom":
            entries.append(f"<entry><title>{title}</title><link href=\"{link}\"/>"
                           f"<updated>{d}</updated><published>{d}</published>"
                           f"<summary type=\"html\">{body}</summary></entry>")
        else:
            entries.append(f"<item><title>{title}</title><link>{link}</link>"
                           f"<pubDate>{d}</pubDate><description>{body}</description>"
                           f"<enclosure url=\"file:///dev/zero\" length=\"99999999999\" "
                           f"type=\"text/html\"/></item>")
    doctype = draw(st.sampled_from(DOCTYPES))
    encoding = draw(st.sampled_from(["", " encoding=\"utf-8\"", " encoding=\"x-bogus\"",
                                     " encoding=\"utf-16\"", " encoding=\"iso-8859-1\""]))
    decl = f"<?xml version=\"1.0\"{encoding}?>" if draw(st.booleans()) else ""
    channel_title = _esc(draw(sentence))
    if flavour == "atom":
        doc = (f"<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"file:///etc/\">"
               f"<title>{channel_title}</title><updated>{dates[0]}</updated>"
               f"{''.join(entries)}</feed>")
    elif flavour == "rdf":
        doc = ("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
               "xmlns=\"http://purl.org/rss/1.0/\"><channel><title>"
               f"{channel_title}</title></channel>{''.join(entries)}</rdf:RDF>")
    else:
        doc = (f"<rss version=\"2.0\"><channel><title>{channel_title}</title>"
               f"<description>{draw(st.sampled_from(BODIES))}</description>"
               f"{''.join(entries)}</channel></rss>")
    return decl + doctype.replace("rss", "feed" if flavour == "atom" else "rss") + doc


@st.composite
def feed_inputs(draw: st.DrawFn) -> FuzzInput:
    suffix = draw(weighted((4, ".xml"), (2, ".rss"), (2, ".atom"), (1, ""), (1, ".html")))
    if draw(weighted((8, False), (1, True))):
        # The whole body is a path or a URL: it is read as a feed, never opened.
        body = draw(st.sampled_from(PATHS + URLS))
        return FuzzInput("feed", draw(st.sampled_from([".rss", ".atom"])), body.encode())
    data = draw(encoded(draw(sprinkled(draw(feed_document()), 2))))
    if draw(weighted((8, False), (1, True))):
        data = cut(data, draw(st.integers(1, 99)))
    return FuzzInput("feed", suffix, data)


# ---------------------------------------------------------------- PDF


def pdf_of(objects: list[bytes], root: int = 1, info: int | None = None,
           xref: bool = True) -> bytes:
    """A PDF of the given object bodies (numbered from 1), with an xref table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info:
        trailer += b" /Info %d 0 R" % info
    return out + b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % start


TITLES = [b"(A title)", b"42", b"[1 2 (x)]", b"<< /A 1 >>", b"/Name", b"null", b"true",
          b"<FEFF00410042>", b"<FEFFD800>", b"(\\000\\001\\033)", b"3 0 R", b"99 0 R",
          b"(" + b"T" * 5000 + b")", b"<>", b"(unbalanced"]
CREATED = [b"(D:20150227000000)", b"(D:99999999)", b"(D:00000000)", b"(D:2015)", b"42",
           b"(D:20151399)", b"(yesterday)", b"[1]", b"(D:99991231235959+99'99')"]
FILTERS = [b"", b"/Filter /FooDecode", b"/Filter /FlateDecode", b"/Filter [/ASCIIHexDecode]",
           b"/Filter /LZWDecode", b"/Filter /DCTDecode", b"/Filter [/FlateDecode /Bogus]",
           b"/Filter /JBIG2Decode", b"/DecodeParms << /Predictor 15 /Columns 99999 >> "
           b"/Filter /FlateDecode"]


@st.composite
def built_pdf(draw: st.DrawFn) -> bytes:
    pages = draw(weighted((24, 1), (12, 3), (4, 40), (1, 300)))
    lines = draw(st.lists(sentence, min_size=1, max_size=4))
    text = " ".join(f"({s}) '" for s in lines).encode("latin-1", "replace")
    stream = b"BT /F1 11 Tf 72 760 Td 14 TL " + text + b" ET"
    filt = draw(st.sampled_from(FILTERS))
    if filt == b"/Filter /FlateDecode" and draw(st.booleans()):
        stream = zlib.compress(stream)
    elif filt == b"/Filter /FlateDecode" and draw(weighted((4, False), (1, True))):
        stream = zlib.compress(b"\x00" * draw(st.sampled_from([10**6, 30 * 10**6])), 9)
    length = draw(st.sampled_from([len(stream), len(stream), 0, -1, 10**12]))
    kids = b" ".join(b"%d 0 R" % (7 + i) for i in range(pages))
    count = draw(st.sampled_from([pages, pages, 0, -5, 10**9]))
    parent_loop = draw(weighted((6, False), (1, True)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + (b"2 0 R " if parent_loop else b"") + kids
        + b"] /Count %d >>" % count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d " % length + filt + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title " + draw(st.sampled_from(TITLES)) + b" /CreationDate "
        + draw(st.sampled_from(CREATED)) + b" /Author (" + CANARY.encode() + b") >>",
        b"<< /Type /Filespec /F (" + CANARY.encode() + b") /UF (/etc/passwd) >>",
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
                       b"<< /Font << /F1 3 0 R >> >> /Contents 4 0 R /Annots [<< /Subtype "
                       b"/Link /A << /S /Launch /F 6 0 R >> >>] >>")
    return pdf_of(objects, info=5, xref=draw(weighted((5, True), (1, False))))


@st.composite
def pdf_inputs(draw: st.DrawFn) -> FuzzInput:
    shape = draw(weighted((3, "valid"), (5, "built"), (1, "header-only"), (1, "garbage")))
    if shape == "valid":
        data = make_pdf(draw(st.lists(sentence, min_size=1, max_size=6)),
                        title=draw(st.sampled_from([s.decode("latin-1") for s in TITLES[:4]])),
                        created=draw(st.sampled_from(["20150227000000", "99999999", "0"])))
    elif shape == "built":
        data = draw(built_pdf())
    elif shape == "header-only":
        data = b"%PDF-1.7\n%%EOF\n"
    else:
        data = b"%PDF-1.4\n" + draw(encoded(draw(paragraph))) + b"\n%%EOF"
    if draw(weighted((7, False), (2, True))):
        data = cut(data, draw(st.integers(1, 99)))
        if draw(st.booleans()):
            data += b"\n%%EOF\n"  # truncated, but the end marker is there
    suffix = draw(weighted((8, ".pdf"), (1, ""), (1, ".txt")))
    return FuzzInput("pdf", suffix, data)


# ---------------------------------------------------------------- JSON lines


@st.composite
def jsonl_inputs(draw: st.DrawFn) -> FuzzInput:
    """One line of a JSON-lines input, valid or not."""
    import json

    shape = draw(weighted((8, "object"), (1, "not-json"), (1, "non-object"), (1, "raw-bytes"),
                          (1, "deep")))
    if shape == "not-json":
        return FuzzInput("jsonl", "", draw(st.sampled_from([
            b"{", b"{\"id\": 1, \"text\": }", b"not json", b"{'id': 1}", b"\xff\xfe{}",
            b"{\"text\": \"a\"} trailing", b"NaN", b"{\"text\": \"\\ud800\\", b"\x00",
        ])))
    if shape == "non-object":
        return FuzzInput("jsonl", "", draw(st.sampled_from([
            b"[]", b"[1, 2]", b"42", b"\"text\"", b"null", b"true", b"1e999", b"-0",
        ])))
    if shape == "deep":
        depth = draw(st.sampled_from([100, 1000, 100000]))
        return FuzzInput("jsonl", "", b"[" * depth + b"]" * depth)
    obj: dict[str, object] = {}
    if draw(weighted((5, True), (1, False))):
        obj["id"] = draw(st.one_of(
            st.sampled_from(["a", "dup", "dup", "", " ", "\x00", "\ud800", "../../etc", "1"]),
            st.integers(-(2**70), 2**70), st.sampled_from([1.5, True, None, [1], {"a": 1}])))
    body = draw(sprinkled(draw(paragraph), 3))
    field = draw(weighted((5, "text"), (3, "html"), (1, "both"), (1, "neither"), (1, "wrong")))
    if field in ("text", "both"):
        obj["text"] = body
    if field in ("html", "both"):
        obj["html"] = draw(st.one_of(st.sampled_from(SCRIPTS), html_page().map(lambda p: p[0]),
                                     st.just(f"<p>{body}</p>")))
    if field == "wrong":
        obj[draw(st.sampled_from(["text", "html"]))] = draw(st.sampled_from(
            [1, None, ["a"], {"t": "x"}, True]))
    for key in ("title", "url", "published"):
        if draw(st.booleans()):
            obj[key] = draw(st.one_of(
                st.sampled_from(["<script>alert(1)</script>", "<b>bold</b>", "\x00", "\ud800",
                                 "9999-12-31", "0001-01-01", "", 42, None, ["x"]]),
                path_or_url, sentence))
    line = json.dumps(obj, ensure_ascii=draw(st.booleans()))
    if shape == "raw-bytes":
        return FuzzInput("jsonl", "", line.encode("utf-8", "surrogatepass").replace(
            b"a", b"\x00", 1).replace(b"e", b"\xff", 1))
    return FuzzInput("jsonl", "", line.encode("utf-8", "surrogatepass"))


# Each reader's share of a long run: the costly ones (every feed entry and listing item is
# a text the stages read) get fewer inputs.
SHARES = {"html": 2.0, "text": 2.0, "jsonl": 2.0, "pdf": 1.5, "listing": 1.5, "feed": 1.0}

READERS = {
    "html": html_inputs,
    "text": text_inputs,
    "listing": listing_inputs,
    "feed": feed_inputs,
    "pdf": pdf_inputs,
    "jsonl": jsonl_inputs,
}
