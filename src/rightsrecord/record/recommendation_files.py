"""UN recommendations read from files in the shape of UPR Info's export, one per line.

A line (a CSV row or a JSON Lines object) has `state_under_review`, `recommending_state`,
`text`, `response`, `action_category`, `session`, `themes` (a list in JSON Lines; in CSV one
string separated by `;` or `|`), and optionally `cycle`, `date` or `year`, and `body` ("UPR",
the default, or a treaty body's code such as "CCPR" for its recommendations in the same
shape). States become ISO 3166-1 alpha-2 codes; themes become the project's theme codes (UPR
Info's issue labels are the project's theme labels). A recommendation is dated by the date or
year the line gives (`date_basis` 'given'), else by the opening day of its UPR session
(`data/record/upr_sessions.tsv`, `date_basis` 'session'). A line that cannot be read so is
rejected with its reason; the other lines are read on.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from .. import places
from ..read import vocab

DATA = Path(__file__).resolve().parents[1] / "data" / "record"
FORMATS = ("csv", "jsonl")
TREATY_BODIES = ("CAT", "CCPR", "CED", "CEDAW", "CERD", "CESCR", "CMW", "CRC", "CRPD", "SPT")
MAX_TEXT = 20_000
# UPR Info's spellings of states that neither ISO 3166 nor the gazetteer of `places` knows.
UPR_SPELLINGS = {
    "dpr korea": "KP", "republic of korea": "KR", "macedonia fyr": "MK", "guinea bissau": "GW",
    "cote d'ivoire": "CI", "ivory coast": "CI",
}
UNKNOWN_STATE = {"", "(unknown)", "unknown"}
RESPONSES = {"accepted": "supported", "supported": "supported", "noted": "noted"}
# Other names of the fields, as UPR Info's web pages head its columns.
FIELD_NAMES = {"sur": "state_under_review", "recommendation": "text", "issues": "themes",
               "issue": "themes"}
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class Rejected(ValueError):
    """Why a line cannot be read as a recommendation."""


@dataclass
class Theme:
    code: str
    label: str
    basis: str  # 'given', or the stage (name.vN) that read it
    score: float | None = None


@dataclass
class Row:
    """One recommendation read from a line, ready for the store."""

    line: int
    body: str
    country: str
    recommending_state: str | None
    text: str
    response: str | None
    session: int | None
    cycle: int | None
    date: str | None
    date_basis: str | None
    source: str | None
    themes: list[Theme] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What makes a recommendation the same one again: its body, states, session and
        words (its date too where it has no session)."""
        words = " ".join(self.text.split()).casefold()
        parts = [self.body, self.country, self.recommending_state or "", self.session, words]
        if self.session is None:
            parts.append(self.date or "")
        digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8"))
        return digest.hexdigest()[:32]

    def as_store_row(self) -> dict[str, Any]:
        return {"key": self.key, "body": self.body, "country": self.country,
                "recommending_state": self.recommending_state, "text": self.text,
                "response": self.response, "session": self.session, "cycle": self.cycle,
                "date": self.date, "date_basis": self.date_basis, "source": self.source,
                "themes": [(t.code, t.label, t.basis, t.score) for t in self.themes]}


@dataclass
class Rejection:
    line: int
    reason: str


# -- the calendar and the vocabularies ---------------------------------------------------


@cache
def upr_sessions() -> dict[int, tuple[int, str]]:
    """UPR session → (cycle, its opening day)."""
    out: dict[int, tuple[int, str]] = {}
    for line in (DATA / "upr_sessions.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            session, cycle, first = line.split("\t")
            out[int(session)] = (int(cycle), first.strip())
    return out


@cache
def _theme_codes() -> dict[str, tuple[str, str]]:
    """A theme's label or code, case-folded → (code, label)."""
    out: dict[str, tuple[str, str]] = {}
    for code, label in vocab.themes().items():
        out[code.casefold()] = (code, label)
        out[label.casefold()] = (code, label)
    return out


def state_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a state as UPR Info (or ISO 3166) names it, else None."""
    text = " ".join(html.unescape(name).split())
    if len(text) == 2 and text.isalpha():
        found = pycountry.countries.get(alpha_2=text.upper())
        return found.alpha_2 if found else None
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    if folded in UPR_SPELLINGS:
        return UPR_SPELLINGS[folded]
    spelled = re.sub(r"^St\.? ", "Saint ", text.replace(" & ", " and "))
    try:
        return str(pycountry.countries.lookup(spelled).alpha_2)
    except LookupError:
        pass
    mentions = places.find_countries(spelled)
    if (len(mentions) == 1 and mentions[0].start == 0 and mentions[0].end == len(spelled)
            and mentions[0].kind in ("country", "alias", "contested")):
        return mentions[0].code
    return None


# -- one line ----------------------------------------------------------------------------


def _text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list, bool)):
        raise Rejected(f"{name} must be a string")
    return " ".join(str(value).split())


def _number(raw: dict[str, Any], name: str) -> int | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise Rejected(f"{name} must be a whole number, not {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, float) else int(value)
    except ValueError:
        raise Rejected(f"{name} must be a whole number, not {str(value)[:40]!r}") from None
    if not 0 < number < 10_000:
        raise Rejected(f"{name} {number} is out of range")
    return number


def _date(raw: dict[str, Any]) -> str | None:
    """The date the line gives (YYYY-MM-DD, YYYY-MM or YYYY), from `date` or `year`."""
    given = _text(raw, "date") or _text(raw, "year")
    if not given:
        return None
    if not _DATE.fullmatch(given):
        raise Rejected(f"date {given[:40]!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    try:
        date(int(given[:4]), int(given[5:7] or 1), int(given[8:10] or 1))
    except ValueError:
        raise Rejected(f"date {given!r} is not a day of the calendar") from None
    if not vocab.plausible_year(int(given[:4])):
        raise Rejected(f"date {given!r} is out of range")
    return given


def _themes(raw: dict[str, Any]) -> list[Theme]:
    value = raw.get("themes")
    if value is None or value == "":
        return []
    if isinstance(value, str):
        labels = re.split(r"[;|]", value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        labels = value
    else:
        raise Rejected("themes must be a list of labels (or, in CSV, labels separated by ; "
                       "or |)")
    out: dict[str, Theme] = {}
    for label in (" ".join(v.split()) for v in labels):
        if not label:
            continue
        found = _theme_codes().get(html.unescape(label).casefold())
        if found is None:
            raise Rejected(f"unknown theme {label[:60]!r} (see data/themes/labels.json)")
        out.setdefault(found[0], Theme(found[0], found[1], "given"))
    return list(out.values())


def _fields(raw: dict[Any, Any]) -> dict[str, Any]:
    """A line's fields by their names here: "State under review" is `state_under_review`."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = re.sub(r"\W+", "_", str(key).strip().lower()).strip("_")
        out.setdefault(FIELD_NAMES.get(name, name), value)
    return out


def read_line(raw: Any, line: int, source: str | None) -> Row:
    """One line as a recommendation (its themes as given; none where the line gives none)."""
    if not isinstance(raw, dict):
        raise Rejected("not an object with the fields of a recommendation")
    raw = _fields(raw)
    text = _text(raw, "text")
    if not text:
        raise Rejected("no text")
    if len(text) > MAX_TEXT:
        raise Rejected(f"text longer than {MAX_TEXT} characters")
    body = (_text(raw, "body") or "UPR").upper()
    if body != "UPR" and body not in TREATY_BODIES:
        raise Rejected(f"unknown body {body[:20]!r}: UPR or a treaty body ("
                       + ", ".join(TREATY_BODIES) + ")")
    under_review = _text(raw, "state_under_review")
    if under_review.casefold() in UNKNOWN_STATE:
        raise Rejected("no state under review")
    country = state_code(under_review)
    if country is None:
        raise Rejected(f"unknown state under review {under_review[:60]!r}")
    recommending = _text(raw, "recommending_state")
    by = None
    if recommending.casefold() not in UNKNOWN_STATE and html.unescape(
            recommending).casefold() not in UNKNOWN_STATE:
        by = state_code(recommending)
        if by is None:
            raise Rejected(f"unknown recommending state {recommending[:60]!r}")
    session, cycle, given = _number(raw, "session"), _number(raw, "cycle"), _date(raw)
    calendar = upr_sessions().get(session) if body == "UPR" and session is not None else None
    if body == "UPR" and session is not None and calendar is None:
        raise Rejected(f"session {session} is not a UPR session "
                       f"(1–{max(upr_sessions())})")
    if given is None and calendar is None:
        raise Rejected("no date: give a date or year (or, for the UPR, a session)")
    if calendar is not None and cycle is None:
        cycle = calendar[0]
    response = _text(raw, "response")
    return Row(line=line, body=body, country=country, recommending_state=by, text=text,
               response=RESPONSES.get(response.casefold(), response.casefold()) or None,
               session=session, cycle=cycle,
               date=given or (calendar[1] if calendar else None),
               date_basis="given" if given else "session", source=source,
               themes=_themes(raw))


# -- files -------------------------------------------------------------------------------


def file_format(path: str | Path, given: str | None = None) -> str:
    """The format to read a file in: the one given, else by its extension."""
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    if suffix in ("csv", "tsv"):
        return "csv"
    raise ValueError(f"{Path(path).name}: cannot tell its format from the extension; "
                     "give --format csv or jsonl")


def _raw_lines(content: str, fmt: str) -> Iterator[tuple[int, Any]]:
    """(line number, the line's fields or the reason it cannot be read)."""
    if fmt == "jsonl":
        for number, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield number, Rejected(f"not JSON ({str(exc)[:80]})")
        return
    dialect = "excel-tab" if "\t" in content.split("\n", 1)[0] else "excel"
    reader = csv.DictReader(io.StringIO(content, newline=""), dialect=dialect)
    try:
        for raw in reader:
            if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                continue
            if None in raw:
                yield reader.line_num, Rejected("more fields than the header names")
            else:
                yield reader.line_num, raw
    except csv.Error as exc:
        yield reader.line_num, Rejected(f"not CSV ({exc})")


def read_text(content: str, fmt: str, source: str | None = None
              ) -> tuple[list[Row], list[Rejection]]:
    """Every line of a file's text read as a recommendation, or rejected with its reason."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: csv or jsonl")
    rows: list[Row] = []
    rejected: list[Rejection] = []
    for number, raw in _raw_lines(content.lstrip("\ufeff"), fmt):
        try:
            if isinstance(raw, Rejected):
                raise raw
            rows.append(read_line(raw, number, source))
        except Rejected as exc:
            rejected.append(Rejection(number, str(exc)))
    return rows, rejected


def read_file(path: str | Path, fmt: str | None = None) -> tuple[list[Row], list[Rejection]]:
    """A file's recommendations and rejected lines; the store keeps its name, never its path."""
    path = Path(path)
    content = path.read_bytes().decode("utf-8", errors="replace")
    return read_text(content, file_format(path, fmt), source=path.name)
