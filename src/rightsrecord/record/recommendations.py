"""UN recommendations (UPR and treaty bodies) in the record, each followed up by the events that
came after it.

`ingest` reads files in UPR Info's shape (`recommendation_files`), themes the recommendations
that come without themes by the themes stage (its id, `themes.vN`, and score kept as the
basis), and stores each once. `for_country` reads a country's recommendations with the later
events of their themes: events a source dates (a stated date, never a publication date) after
the recommendation was made, and about what it asks (`followup`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..extract.stages import BUILTIN
from ..read import vocab
from ..read.errors import Invalid
from ..read.models import LaterEvent, Recommendation
from ..read.provenance import own_title, when
from ..store.base import PUBLIC, Scope, Store
from . import followup
from .recommendation_files import Rejection, Row, Theme, read_file

DEMO_FILE = Path(__file__).resolve().parents[1] / "data" / "record" / \
    "demo_recommendations_kz.jsonl"
THEMES_STAGE = BUILTIN["themes"]
BATCH = 500


@dataclass
class IngestReport:
    stored: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, Rejection]] = field(default_factory=list)  # (file name, line)


def theme(rows: list[Row]) -> None:
    """Theme by the themes stage the recommendations that came without themes."""
    from ..extract.themes import ThemeModel

    bare = [r for r in rows if not r.themes]
    if not bare:
        return
    found = ThemeModel.load().predict_many([r.text for r in bare])
    for row, themes in zip(bare, found, strict=True):
        row.themes = [Theme(t.id, t.label, THEMES_STAGE.id, round(float(t.score), 4))
                      for t in themes]


def store_rows(store: Store, rows: list[Row]) -> tuple[int, int]:
    """Store recommendations, each once (themed first where the file gave no themes):
    (stored, unchanged)."""
    stored = unchanged = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        known = store.recommendation_keys(r.key for r in batch)
        fresh: dict[str, Row] = {}
        for r in batch:
            if r.key in known or r.key in fresh:
                unchanged += 1
            else:
                fresh[r.key] = r
        theme(list(fresh.values()))
        for status in store.add_recommendations([r.as_store_row() for r in fresh.values()]):
            stored += status == "stored"
            unchanged += status != "stored"
    return stored, unchanged


def ingest(store: Store, paths: list[str | Path], fmt: str | None = None) -> IngestReport:
    """Read recommendation files (CSV or JSON Lines) into the store. A line that cannot be
    read is rejected with its reason and the rest are read on."""
    report = IngestReport()
    for path in paths:
        rows, rejected = read_file(path, fmt)
        report.rejected += [(Path(path).name, r) for r in rejected]
        stored, unchanged = store_rows(store, rows)
        report.stored += stored
        report.unchanged += unchanged
    return report


def load_demo(store: Store) -> IngestReport:
    """Load the demo's recommendations to Kazakhstan (written by the project)."""
    return ingest(store, [DEMO_FILE])


# -- followed up -------------------------------------------------------------------------


def _after(date: str) -> str:
    """The last day a date (YYYY, YYYY-MM or YYYY-MM-DD) may mean: an event is later only
    when its stated date is after all of it."""
    return date + {4: "-12-31", 7: "-31"}.get(len(date), "")


def _later(date: str | None, after: str) -> bool:
    """Whether a stated date (YYYY, YYYY-MM or YYYY-MM-DD) falls wholly after `after`."""
    return bool(date) and str(date) > after


def for_country(store: Store, code: str, scope: Scope = PUBLIC) -> list[Recommendation]:
    """A country's recommendations, the latest first, each with the later events of its
    themes and what followed in words."""
    cc = vocab.country_code(code)
    if cc is None:
        raise Invalid(f"Unknown country code {code[:40]!r}: use ISO 3166-1 alpha-2, e.g. KZ.")
    rows = store.recommendations_of(cc)
    dated = [r for r in rows if r["date"]]
    themes = sorted({t["code"] for r in dated for t in r["themes"]})
    earliest = min((_after(r["date"]) for r in dated), default=None)
    candidates = store.later_events(cc, themes, earliest) if themes and earliest else []
    stated = store.event_dates([e["id"] for e in candidates])
    for e in candidates:
        ds = stated.get(e["id"], [])
        w = when([(d["date"], d["date_source"], d["stage"]) for d in ds],
                 [d["reported"] for d in ds])
        e["shown"] = w.date if w.basis == "stated" else None  # the date its page shows
        e["title"] = own_title(e["title"])
        e["words"] = followup.event_words(e["title"], e["evidence"])
        e["themes"] = set(e["themes"])
    by_theme: dict[str, list[dict]] = {}
    for e in candidates:
        for code in e["themes"]:
            by_theme.setdefault(code, []).append(e)
    out = []
    for r in rows:
        codes = {t["code"] for t in r["themes"]}
        words = followup.content_words(r["text"])
        later: list[LaterEvent] = []
        after = _after(r["date"]) if r["date"] else None
        themed = {e["id"]: e for code in sorted(codes) for e in by_theme.get(code, [])}
        for e in themed.values():
            if not (after and _later(e["shown"], after)
                    and followup.about_the_same(words, e["words"])):
                continue
            later.append(LaterEvent(
                event_id=e["id"], date=e["shown"], type=e["type"],
                title=e["title"] or (e["type"] or "development").replace("-", " "),
                href=f"/events/{e['id']}"))
        later.sort(key=lambda x: (x.date or "", x.event_id))
        basis = r["themes"][0]["basis"] if r["themes"] else None
        out.append(Recommendation(
            id=int(r["id"]), body=r["body"], text=r["text"],
            recommending_state=r["recommending_state"], response=r["response"],
            session=r["session"], cycle=r["cycle"], date=r["date"],
            date_basis=r["date_basis"], themes=[t["code"] for t in r["themes"]],
            theme_basis=basis, later_events=later,
            followed_by=followup.followed_by(r["response"], r["date"],
                                             [e.type for e in later])))
    return out
