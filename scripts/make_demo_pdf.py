#!/usr/bin/env python3
"""Write the demo corpus PDF: a one-page brief on Kazakhstan's 2014 Universal Periodic Review.

Standard library only. The output is a minimal PDF 1.4 file: one page, the base-14 Helvetica
font (WinAnsiEncoding), text wrapped to the page width with Helvetica's metrics, an /Info
dictionary with /Title and /CreationDate, a correct xref table and `%%EOF`. The output is
deterministic, so re-running the script reproduces the committed file byte for byte.

    python3 scripts/make_demo_pdf.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent
    / "src/rightsrecord/data/demo/pdf/kazakhstan_upr_2014_brief.pdf"
)

TITLE = "Kazakhstan's second Universal Periodic Review (2014): a brief"
AUTHOR = "Central Asia Rights Desk (demo outlet of the rightsrecord project)"
CREATED = "D:20141212090000Z"  # the brief's publication date, 12 December 2014

# (style, text): "h" heading, "m" small meta line, "p" paragraph.
BLOCKS: list[tuple[str, str]] = [
    ("h", "Kazakhstan's second Universal Periodic Review (2014): a brief"),
    ("m", "Central Asia Rights Desk - 12 December 2014"),
    (
        "p",
        "The UN Human Rights Council's Working Group on the Universal Periodic Review "
        "examined Kazakhstan on 30 October 2014, during its twentieth session (27 October to "
        "7 November 2014). Deputy Minister of Justice Elvira Azimova led the delegation, and "
        "Germany, Kuwait and South Africa served as the troika of rapporteurs. The Working "
        "Group adopted its report on 4 November 2014; it was issued as document A/HRC/28/10, "
        "dated 10 December 2014.",
    ),
    (
        "p",
        "The government's case. The delegation said Kazakhstan keeps a moratorium on the "
        "death penalty but has not joined the Second Optional Protocol to the ICCPR, citing "
        "the financial obligations involved. It described a national preventive mechanism "
        "against torture on an \u201cOmbudsman +\u201d model, a standing invitation to UN special "
        "procedures since 2009, new Criminal and Criminal Procedure Codes entering into force "
        "in January 2015, and a national human rights action plan covering 2015-2020, which "
        "is to contain a section on protecting human rights defenders.",
    ),
    (
        "p",
        "What states raised. Seventy-three delegations made statements. Finland, Norway, "
        "Sweden, Austria and Australia voiced concern about freedom of expression and the "
        "pressure on independent media; Hungary and Norway noted that libel remains a "
        "criminal offence. The Netherlands said religious groups labelled "
        "\u201cnon-traditional\u201d were being treated worse than before, Liechtenstein "
        "and Austria pointed to continuing torture and ill-treatment, Portugal regretted "
        "that the new Criminal Code added crimes punishable by death, and Slovenia raised "
        "violence against women and children.",
    ),
    (
        "p",
        "The outcome. Of 194 recommendations, Kazakhstan supported 47 that it considers "
        "already implemented and 96 that it considers in the process of implementation. The "
        "remaining 51 did not enjoy its support and were noted; among them were calls to "
        "ratify the migrant workers convention (ICRMW) and the Second Optional Protocol on "
        "abolishing the death penalty.",
    ),
    (
        "p",
        "Two days before the review, Human Rights Watch urged UN member states to use the "
        "session to press the government for long-overdue reforms.",
    ),
    (
        "s",
        "Retells: UN Human Rights Council, Report of the Working Group on the Universal "
        "Periodic Review: Kazakhstan (A/HRC/28/10, 2014); Human Rights Watch Kazakhstan "
        "country page (hrw.org/europe/central-asia/kazakhstan), scraped early 2015. Central "
        "Asia Rights Desk is a fictional demo outlet of the rightsrecord project.",
    ),
]

STYLES = {  # font size, leading, space after the block
    "h": (15.0, 19.0, 4.0),
    "m": (9.0, 12.0, 10.0),
    "p": (10.5, 14.0, 8.0),
    "s": (8.5, 11.0, 0.0),
}

PAGE_W, PAGE_H, MARGIN = 612, 792, 64

# Helvetica advance widths (1/1000 em) for ASCII 32..126, from the standard AFM.
# fmt: off
_ASCII_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]
# fmt: on
WIDTHS = {chr(32 + i): w for i, w in enumerate(_ASCII_WIDTHS)}
WIDTHS.update(
    {
        "\u2018": 222,
        "\u2019": 222,
        "\u201c": 333,
        "\u201d": 333,
        "\u2013": 556,
        "\u2014": 1000,
        "\u00e9": 556,
        "\u00fc": 556,
    }
)


def text_width(text: str, size: float) -> float:
    return sum(WIDTHS.get(ch, 556) for ch in text) * size / 1000


def wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")  # WinAnsiEncoding
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def content_stream() -> bytes:
    ops: list[bytes] = [b"BT"]
    y = PAGE_H - MARGIN
    width = PAGE_W - 2 * MARGIN
    for style, text in BLOCKS:
        size, leading, after = STYLES[style]
        font = b"/F2" if style == "h" else b"/F1"
        for line in wrap(text, size, width):
            y -= leading
            if y < MARGIN:
                raise SystemExit("the brief no longer fits on one page")
            ops.append(
                font
                + b" %.1f Tf 1 0 0 1 %d %.1f Tm " % (size, MARGIN, y)
                + pdf_string(line)
                + b" Tj"
            )
        y -= after
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def build_pdf() -> bytes:
    stream = content_stream()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>" % (PAGE_W, PAGE_H),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Title "
        + pdf_string(TITLE)
        + b" /Author "
        + pdf_string(AUTHOR)
        + b" /Subject (Demo corpus document; retells the public sources it names)"
        + b" /Producer (rightsrecord scripts/make_demo_pdf.py)"
        + b" /CreationDate ("
        + CREATED.encode()
        + b") /ModDate ("
        + CREATED.encode()
        + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build_pdf())
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
