"""Yearly draft summaries of a country's record: a few cited sentences per year, faithful by
construction.

An event belongs to a year only by a date a source states for it (`When.basis == "stated"`);
a date a text was merely published never places one. A year's events are ranked by salience
(`salience`): independent sources (distinct documents, a republished copy counted as the
document it copies), the severity of the event's type (`data/record/event_types.tsv`) and
whether its reports name whom it befell. From the most salient down, each event gives at most
one sentence, extracted from the evidence of its best report (the one stating a date in that
year, with a readable sentence): the same words, with a dateline, a photo caption's furniture
or a "said today" removed, and clipped only at a clause boundary. Nothing is added but a
capital letter and a full stop, and `faithful.unsupported` checks that every name, number
and date of the sentence is in the evidence it cites; a sentence that fails is not used. A
sentence that repeats one already chosen (another event's report telling the same thing) is
dropped. Sentences that read poorly out of their text (a caption, a headline, one opening on
a pronoun) are used only where a year has too few others. A year's sentences run by date.

Drafts are kept in the store (`derived`) with the stamp of the record they were made from
and this stage, and made again when either moves.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ..extract.sentences import sentence_spans
from ..read import services, vocab
from ..read.errors import NotFound
from ..read.models import DraftSentence, DraftSource, DraftYear, Report
from ..read.provenance import when
from ..store.base import PUBLIC, Scope, Store
from .faithful import MONTHS, fold, function_words, names, unsupported

STAGE = "drafts.v1"
KIND = "draft-summary"
DATA = Path(__file__).resolve().parents[1] / "data" / "record"
MAX_CHARS = 300  # a longer sentence is clipped at a clause boundary where it has one
MIN_CHARS = 80  # ... that leaves at least this much
TRIES = 6  # events read per sentence wanted, at most, before a year is left shorter
_CHUNK = 500

# -- cleaning: what may be removed from an evidence sentence ----------------------------------

_DATE_LINE = re.compile(r"^\W*(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}"
                        r"|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})\W*$")
_CAPTION_HEAD = re.compile(r"^\s*Click to expand\s+Image\s*", re.IGNORECASE)
_CREDIT = re.compile(r"\s*(?:©|\(c\)\s+\d{4}|\((?:Photo|Image)s?:[^)]*\)\s*$).*$",
                     re.IGNORECASE)
_DATELINES = (
    re.compile(r"^\([^()]{1,80}\)\s*[–—-]+\s*"),  # (Bangui) – / (New York, May 2, 2024) –
    re.compile(r"^[A-Z][A-Z.'’ -]{1,40}(?:,\s*[^—–:]{1,40}?)?\s*[—–]+\s*"),  # ALMATY —
    re.compile(r"^Updated?\b[^:]{0,40}:\s*"),  # Update March 26, 2024:
    re.compile(r"^[A-Z][\w .'’-]{1,40},\s*(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}"
               r"|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})\s*[—–:|-]+\s*"),
)
_RELATIVE_HEAD = re.compile(
    r"^(?:Today|Yesterday|Tonight|(?:Last|This|Earlier this) (?:week|month|year)"
    r"|Earlier today|(?:On )?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day),\s+")
_LEAD_IN = re.compile(r"^([^:“”\"\d]{3,60}):\s+(?=[^“\"\s])")
_SAID_TODAY = re.compile(r"\b(said|says|stated|announced|reported|warned|wrote)\s+today\b")
_BOUNDARY = re.compile(r";\s|,\s(?=(?:including|while|whereas|which|who|amid|after)\b)"
                       r"|\s[–—]\s")
_PRONOUN_HEAD = re.compile(r"^(?:He|She|They|It|His|Her|Their|Its|This|These|Those|We|I)\b")
# Time told relative to the text's own day: out of that text a reader cannot place it.
_RELATIVE = re.compile(r"\b(?:today|yesterday|tonight|tomorrow|(?:last|this|next) (?:week|month)"
                       r"|(?:earlier|later) this (?:week|month|year)|\w+ (?:days|weeks) ago)\b",
                       re.IGNORECASE)
_END = (".", "!", "?")
_CLOSERS = "”\"’)"


@dataclass
class Cleaned:
    text: str
    weak: bool  # a headline or a sentence that leans on the text around it
    # a photo's caption (it tells what a picture shows, not that something happened there
    # and then) or a sentence too long to summarise anything: never drafted
    unfit: bool = False


def names_date(text: str, stated: str | None) -> int:
    """How much of a stated date (YYYY, YYYY-MM or YYYY-MM-DD) a text names: 2 for its year,
    2 for its month, 1 more for its day with its month."""
    if not stated:
        return 0
    parts = stated.split("-")
    month = MONTHS[int(parts[1]) - 1] if len(parts) > 1 and 1 <= int(parts[1]) <= 12 else None
    score = 2 * (parts[0] in text)
    if month and re.search(rf"\b{month[:3]}", fold(text)):
        score += 2
        if len(parts) > 2 and re.search(rf"(?<!\d){int(parts[2])}(?!\d)", text):
            score += 1
    return score


def _one_sentence(evidence: str, stated: str | None) -> str:
    """Of evidence that runs over more than one sentence, the one naming the date the report
    states (`names_date`), else the first; a line that is only a date is never one."""
    spans = [evidence[a:b] for a, b in sentence_spans(evidence)]
    sentences = [t for t in spans if t.strip() and not _DATE_LINE.match(t)] or [evidence]
    if len(sentences) == 1 or not stated:
        return sentences[0]
    return max(sentences, key=lambda t: (names_date(t, stated), -sentences.index(t)))


def clean(evidence: str, title: str | None = None, stated: str | None = None) -> Cleaned:
    """An evidence sentence made to stand alone: only words removed (the other sentences of
    the evidence, a dateline, a photo caption's furniture, a leading relative day, "today"
    after "said"), a capital letter and a full stop added, clipped at a clause boundary where
    it is long."""
    text = " ".join(_one_sentence(evidence, stated).split())
    weak = unfit = False
    if _CAPTION_HEAD.match(text):
        text, weak, unfit = _CAPTION_HEAD.sub("", text, count=1), True, True
    credit = _CREDIT.search(text)
    if credit and credit.start() > 0:
        text, weak, unfit = text[:credit.start()].rstrip(), True, True
    head = " ".join((title or "").split())
    if head and fold(text[:len(head)]) == fold(head):
        rest = text[len(head):].lstrip(" .:—–-|")
        if len(rest) >= 40:
            text = rest
        else:
            weak = True  # the headline alone
    for _ in range(3):
        before = text
        for pattern in (*_DATELINES, _RELATIVE_HEAD):
            text = pattern.sub("", text, count=1)
        lead = _LEAD_IN.match(text)
        if lead and len(lead.group(1).split()) >= 3 and len(text) - lead.end() >= 40:
            text = text[lead.end():]
        if text == before:
            break
    text = _SAID_TODAY.sub(r"\1", text)
    if len(text) > MAX_CHARS:
        text = _clip(text)
    text = text.strip(" ,;:—–-")
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    if not text.rstrip(_CLOSERS).endswith(_END):
        weak = weak or not evidence.strip().endswith(_END + tuple(_CLOSERS))
        text += "."
    if (_PRONOUN_HEAD.match(text) or len(text) < 30 or len(text) > 1.5 * MAX_CHARS
            or not _balanced(text) or _RELATIVE.search(text)):
        weak = True
    return Cleaned(text, weak, unfit or len(text) > 1.5 * MAX_CHARS)


def _balanced(text: str) -> bool:
    return (text.count("“") == text.count("”") and text.count('"') % 2 == 0
            and text.count("(") == text.count(")"))


def _clip(text: str) -> str:
    """A long sentence cut at its last clause boundary within `MAX_CHARS` (else its first
    beyond it), never inside quotes or parentheses; unchanged where it has none."""
    cuts = [m.start() for m in _BOUNDARY.finditer(text)
            if MIN_CHARS <= m.start() < len(text) - 20 and _balanced(text[:m.start()])
            and not text[m.start() - 1].isdigit()]
    within = [c for c in cuts if c <= MAX_CHARS]
    cut = within[-1] if within else (cuts[0] if cuts else None)
    return text if cut is None else text[:cut].rstrip(" ,;:—–-") + "."


# -- ranking ---------------------------------------------------------------------------------


@cache
def weights() -> dict[str, tuple[int, str]]:
    """Event type → (severity 0-5, polarity), from `data/record/event_types.tsv`."""
    with (DATA / "event_types.tsv").open(encoding="utf-8") as fh:
        rows = csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")),
                          delimiter="\t")
        return {r[0]: (int(r[1]), r[2]) for r in rows if len(r) >= 3}


def salience(independent: int, severity: int, targets: int) -> float:
    """How much an event weighs in its year's draft: its independent sources (each further
    one worth less: 3 for one, 4.75 for two, 6 for three), the severity of its type (0-5),
    and half a point for each named target, up to two."""
    return 3.0 * math.log2(1 + max(independent, 1)) + severity + 0.5 * min(targets, 2)


@dataclass
class _Candidate:
    id: int
    type: str | None
    date: str
    score: float


@dataclass
class _Drafted:
    sentence: DraftSentence
    date: str
    type: str | None
    weak: bool
    words: frozenset[str]
    spans: frozenset[tuple[int, int, int]]
    names: frozenset[str]  # its names of two words or more, folded


def _candidates(store: Store, code: str) -> dict[int, list[_Candidate]]:
    """The country's events by the year a source states for them, each with its salience."""
    rows = store.draft_candidates(code)
    dates: dict[int, list[dict]] = {}
    ids = [int(r["id"]) for r in rows]
    for start in range(0, len(ids), _CHUNK):
        dates.update(store.event_dates(ids[start:start + _CHUNK]))
    years: dict[int, list[_Candidate]] = {}
    for r in rows:
        ds = dates.get(int(r["id"]), [])
        w = when([(d["date"], d["date_source"], d["stage"]) for d in ds],
                 [d["reported"] for d in ds])
        if w.basis != "stated" or not w.date or not vocab.plausible_year(int(w.date[:4])):
            continue
        severity = weights().get(r["type"] or "", (0, "neutral"))[0]
        score = salience(int(r["independent"]), severity, int(r["targets"]))
        years.setdefault(int(w.date[:4]), []).append(
            _Candidate(int(r["id"]), r["type"], w.date, score))
    return years


# -- one sentence per event ------------------------------------------------------------------


def _content(text: str) -> frozenset[str]:
    """The words that carry a sentence's content: folded, three letters or more, no
    function words; numbers kept."""
    stop = function_words()
    return frozenset(w for w in re.findall(r"\w+", fold(text))
                     if (len(w) >= 3 or w.isdigit()) and w not in stop)


def _report_rank(r: Report, year: str, cleaned: Cleaned) -> tuple:
    """Which report's sentence tells the event best: one stating a date in the year, that
    reads well alone, names the date, states it precisely; then the main, earliest report."""
    stated_here = r.when.basis == "stated" and (r.when.date or "")[:4] == year
    stated = r.when.date if stated_here else None
    return (not stated_here, cleaned.weak, -names_date(cleaned.text, stated),
            -len(stated or ""), not r.main, r.published or "9999", r.source.document_id,
            r.segment_id)


def _cite(r: Report) -> DraftSource:
    assert r.evidence is not None
    ev = r.evidence
    return DraftSource(document_id=r.source.document_id, url=r.source.url, evidence=ev.text,
                       source=r.source, segment_id=ev.segment_id, start=ev.start, end=ev.end,
                       stage=ev.stage)


def _draft_event(store: Store, c: _Candidate, scope: Scope) -> _Drafted | None:
    """The event's sentence, from its best report's evidence, citing every document that
    reports it with words; None where no report gives a sentence its words support."""
    try:
        detail = services.event(store, c.id, scope)
    except NotFound:
        return None
    reports = [r for r in detail.report_list if r.evidence and r.evidence.text.strip()]
    if not reports:
        return None
    options = []
    for r in reports:
        assert r.evidence is not None
        cleaned = clean(r.evidence.text, r.title or r.source.title,
                        r.when.date if r.when.basis == "stated" else None)
        if unsupported(cleaned.text, [r.evidence.text]):
            cleaned = Cleaned(" ".join(r.evidence.text.split()), True)
            if unsupported(cleaned.text, [r.evidence.text]):
                continue
        if cleaned.unfit or len(re.findall(r"[^\W\d_]{2,}", cleaned.text)) < 3:
            continue  # a caption, a sentence too long to summarise, or no sentence left
        options.append((_report_rank(r, c.date[:4], cleaned), r, cleaned))
    if not options:
        return None
    options.sort(key=lambda o: o[0])
    _, best, cleaned = options[0]
    cited: dict[int, Report] = {best.source.document_id: best}
    for _, r, _ in options[1:]:
        cited.setdefault(r.source.document_id, r)
    sentence = DraftSentence(text=cleaned.text, event_id=c.id,
                             sources=[_cite(r) for r in cited.values()])
    spans = frozenset((r.evidence.segment_id, r.evidence.start, r.evidence.end)
                      for r in reports if r.evidence)
    named = frozenset(fold(n) for n in names(cleaned.text) if len(n.split()) > 1)
    return _Drafted(sentence, c.date, c.type, cleaned.weak, _content(cleaned.text), spans,
                    named)


def _near(a: str, b: str) -> bool:
    """Whether two stated dates may be one day: within a week, or one month named alike."""
    if len(a) == len(b) == 10:
        try:
            return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 7
        except ValueError:  # a day no calendar has
            return a == b
    return len(a) >= 7 and len(b) >= 7 and a[:7] == b[:7]


def _repeats(new: _Drafted, chosen: list[_Drafted]) -> bool:
    """Whether a sentence tells what a chosen one tells: it rests on the same words, shares
    most of its content words (half, where both events are of one type on one day), or tells
    an event of the same type about the same named person or body at nearly the same date."""
    for old in chosen:
        if new.spans & old.spans:
            return True
        same_type = new.type == old.type
        if same_type and new.names & old.names and _near(new.date, old.date):
            return True
        if not new.words or not old.words:
            continue
        shared = len(new.words & old.words) / min(len(new.words), len(old.words))
        same_day = same_type and len(new.date) == 10 and new.date == old.date
        if shared >= 0.8 or (same_day and shared >= 0.5):
            return True
    return False


def _draft_year(store: Store, year: int, events: list[_Candidate], scope: Scope,
                per_year: int) -> DraftYear | None:
    ranked = sorted(events, key=lambda e: (-e.score, e.date, e.id))
    strong: list[_Drafted] = []
    weak: list[_Drafted] = []
    for c in ranked[:per_year * TRIES]:
        drafted = _draft_event(store, c, scope)
        if drafted is None or _repeats(drafted, strong + weak):
            continue
        (weak if drafted.weak else strong).append(drafted)
        if len(strong) >= per_year:
            break
    chosen = (strong + weak)[:per_year]
    if not chosen:
        return None
    chosen.sort(key=lambda d: (d.date, d.sentence.event_id or 0))
    return DraftYear(year=year, sentences=[d.sentence for d in chosen], events=len(events),
                     stage=STAGE)


def draft(store: Store, code: str, scope: Scope = PUBLIC, *, per_year: int = 4
          ) -> list[DraftYear]:
    """A country's yearly drafts made afresh (see `draft_summary`), newest year first."""
    years = _candidates(store, code)
    out = [_draft_year(store, year, years[year], scope, per_year)
           for year in sorted(years, reverse=True)]
    return [y for y in out if y is not None]


def draft_summary(store: Store, code: str, scope: Scope = PUBLIC, *, per_year: int = 4
                  ) -> list[DraftYear]:
    """A country's yearly draft summaries, newest year first, each sentence cited: the
    drafts kept for the record as it stands, else drafted again (and kept). [] for a code
    that is not a country's or a country without dated events."""
    cc = vocab.country_code(code)
    if cc is None or per_year < 1:
        return []
    kind = f"{KIND}:{scope.name}:{per_year}"
    stamp = store.record_stamp(cc)
    kept = store.derived(cc, kind)
    if kept and kept["stamp"] == stamp and kept["stage"] == STAGE:
        try:
            return [DraftYear.model_validate(y) for y in json.loads(kept["body"])]
        except ValueError:  # a body this version cannot read: draft again
            pass
    years = draft(store, cc, scope, per_year=per_year)
    store.put_derived(cc, kind, stamp, STAGE,
                      json.dumps([y.model_dump(mode="json") for y in years]))
    return years


# -- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _footnote(s: DraftSource) -> str:
    parts = [_md(s.source.name)]
    if s.source.title:
        parts.append(f'"{_md(s.source.title)}"')
    parts.append(_md((s.source.published or "")[:10] or "undated"))
    if s.url:
        parts.append(f"<{s.url}>" if " " not in s.url else _md(s.url))
    return ", ".join(parts) + f' — "{_md(s.evidence)}"'


def to_markdown(name: str, code: str, years: list[DraftYear]) -> str:
    """The drafts as Markdown: a header marking them as drafts made by their stage, a section
    per year (newest first), each sentence followed by a footnote per source it cites, and
    the footnotes (outlet, "title", date, address — "the quoted evidence") at the end."""
    stages = sorted({y.stage for y in years}) or [STAGE]
    lines = [f"# {_md(name)} ({_md(code.upper())}): yearly summaries (draft)", "",
             f"*Draft generated from the record by {', '.join(stages)}, not reviewed by a "
             "person. Each sentence is drawn from the words of the sources cited after it; "
             "read them before relying on it.*", ""]
    notes: list[str] = []
    if not years:
        lines += ["No event in the record has a date a source states for it yet.", ""]
    for y in years:
        told = []
        for s in y.sentences:
            marks = ""
            for source in s.sources:
                notes.append(f"[^{len(notes) + 1}]: {_footnote(source)}")
                marks += f"[^{len(notes)}]"
            told.append(f"{_md(s.text)}{marks}")
        plural = "" if y.events == 1 else "s"
        lines += [f"## {y.year}", "", " ".join(told), "",
                  f"*Drawn from {y.events} dated event{plural}.*", ""]
    return "\n".join(lines + notes) + "\n"
