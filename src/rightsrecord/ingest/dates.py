"""Small, strict date readers for metadata (feed entries, listing lines, file headers).

Event dates inside running text are extraction's job, not ingestion's.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # noqa: E501
# "Feb 27, 2015", "February 27 2015", "27 February 2015", "2015-02-27"
LISTING_DATE = re.compile(
    rf"(?P<mdy>(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}}))"
    rf"|(?P<dmy>(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}}))"
    r"|(?P<iso>(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2}))",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def iso_date(match: re.Match[str]) -> str | None:
    """The ISO date of a LISTING_DATE match, or None when it names no real day."""
    try:
        if match.group("mdy"):
            day = date(int(match["y1"]), MONTHS[match["m1"].lower()], int(match["d1"]))
        elif match.group("dmy"):
            day = date(int(match["y2"]), MONTHS[match["m2"].lower()], int(match["d2"]))
        else:
            day = date(int(match["y3"]), int(match["m3"]), int(match["d3"]))
    except ValueError:
        return None
    return day.isoformat()


def parse_date(text: str | None) -> str | None:
    """The ISO date written at the start of `text` (after blanks), else None."""
    if not text:
        return None
    match = LISTING_DATE.match(text.strip())
    return iso_date(match) if match else None


def whole_date(text: str) -> str | None:
    """The ISO date when `text` is nothing but a date."""
    match = LISTING_DATE.fullmatch(text.strip().rstrip("."))
    return iso_date(match) if match else None
