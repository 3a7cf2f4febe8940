"""Search as a researcher relies on it, on SQLite and on PostgreSQL alike: stemmed words,
phrases, OR and NOT, names under other spellings, filters and their facets, dates in order
page after page, and never an error for whatever is typed. Both stores are filled with the
same documents through the real pipeline; most tests run on each, and some ask both the same
queries and compare what they find."""

from __future__ import annotations

import dataclasses
import gzip
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightsrecord.demo import corpus_dir
from rightsrecord.document import CountryScore, Document, Segment
from rightsrecord.ingest.pipeline import read
from rightsrecord.process import process
from rightsrecord.store import SQLStore, open_store
from rightsrecord.store.base import BadCursor, SearchHit, SearchQuery, encode_cursor
from tests.conftest import STORES

DEMO = ("news/steppe_2014-10-09_nazarbaev_brussels.html",
        "news/caspian_2024-08-08_comedian_merkul.html",
        "news/steppe_2015-02-27_almaty_appeal_media_closure.html",
        "text/steppe_2014-10-28_poster_ruling.txt",
        "listing/kyrgyzstan_country_page.txt")
# Texts written for these tests: made-up words (Zorvath, Quillon) match nothing else.
WRITTEN = {
    "courts.txt": "Zorvath courts uphold ban on Quillon newspaper\n2019-05-02\n\n"
                  "Two Zorvath courts upheld a ban on the Quillon newspaper in Almaty, Kazakhstan,"
                  " on May 2, 2019. A judge in Astana also fined a blogger who had criticised"
                  " Nursultan Nazarbaev.",
    "hearing.txt": "Zorvath court hears speech case\n2019-06-10\n\n"
                   "A Zorvath judge in Almaty heard arguments on freedom of speech on June 10,"
                   " 2019, after police detained two journalists.",
    "debate.txt": "Zorvath debate\n2018-01-01\n\n"
                  "Speech and freedom were debated by students in Zorvath, Kyrgyzstan, on January"
                  " 1, 2018.",
    "undated.txt": "Zorvath protest\n\nZorvath activists protested outside the Quillon office.",
}


def ids(hits: list[SearchHit]) -> set[int]:
    return {h.id for h in hits}


def everything(store: SQLStore, query: str | SearchQuery) -> list[SearchHit]:
    """Every hit of a query, page after page."""
    hits, cursor = [], None
    while True:
        page = store.search(query, limit=2, cursor=cursor)
        hits += page.data
        cursor = page.next_cursor
        if cursor is None:
            return hits


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[dict[str, SQLStore]]:
    """A SQLite store and a PostgreSQL store holding the same documents, read, extracted and
    linked as `rightsrecord ingest` does."""
    from rightsrecord.extract.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("texts")
    for name, text in WRITTEN.items():
        (folder / name).write_text(text, encoding="utf-8")
    paths = [str(corpus_dir() / p) for p in DEMO] + [str(folder / n) for n in WRITTEN]
    server = request.getfixturevalue("pg_server")
    name = f"search_{uuid.uuid4().hex}"
    made = {"sqlite": open_store(str(folder / "store.db")),
            "postgresql": open_store(server.create_database(
                name, template=request.getfixturevalue("pg_template")))}
    pipeline = Pipeline()
    for store in made.values():
        outcomes = list(process(read(paths), store, pipeline=pipeline))
        assert [o.status for o in outcomes] == ["stored"] * len(paths)
    yield made
    for store in made.values():
        store.close()
    server.drop_database(name)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, stores: dict[str, SQLStore]) -> SQLStore:
    return stores[request.param]


def doc_of(store: SQLStore, name: str) -> int:
    """The document id of a written text or a demo file."""
    hits = [h for h in everything(store, SearchQuery()) if h.url.endswith("/" + name)]
    assert len(hits) == 1, name
    return hits[0].document_id


def docs(store: SQLStore, query: str | SearchQuery) -> set[int]:
    return {h.document_id for h in everything(store, query)}


# -- words, phrases, OR, NOT ----------------------------------------------------------------


def test_a_word_finds_its_other_forms(store):
    courts, hearing = doc_of(store, "courts.txt"), doc_of(store, "hearing.txt")
    assert {courts, hearing} <= docs(store, "court")  # "courts" in one text, "court" in one
    assert docs(store, "Zorvath court") == docs(store, "Zorvath courts") == {courts, hearing}
    assert docs(store, "Zorvath protesting") == {doc_of(store, "undated.txt")}


def test_a_document_is_found_by_its_title(store):
    # "hears" (stemmed: "hear", as "heard" is not) is only in the title of hearing.txt
    assert docs(store, "Zorvath hears") == {doc_of(store, "hearing.txt")}


def test_a_quoted_phrase_keeps_its_words_together_in_order(store):
    hearing, debate = doc_of(store, "hearing.txt"), doc_of(store, "debate.txt")
    assert docs(store, '"freedom of speech" Zorvath') == {hearing}
    assert docs(store, "freedom speech Zorvath") == {hearing, debate}
    assert docs(store, '"speech freedom" Zorvath') == set()
    assert docs(store, '"Zorvath courts upheld') == {doc_of(store, "courts.txt")}  # unclosed


def test_or_finds_either_and_not_or_minus_leaves_out(store):
    courts, hearing = doc_of(store, "courts.txt"), doc_of(store, "hearing.txt")
    debate, undated = doc_of(store, "debate.txt"), doc_of(store, "undated.txt")
    assert docs(store, "Quillon OR students") == {courts, undated, debate}
    assert docs(store, "Zorvath (journalists OR students)") == {hearing, debate}
    assert docs(store, "Zorvath or students") == {debate}  # lower-case "or" is a word
    assert docs(store, "Zorvath -court") == {debate, undated}
    assert docs(store, "Zorvath NOT court") == {debate, undated}
    assert docs(store, 'Zorvath -(court OR "freedom were")') == {undated}
    everyone = docs(store, SearchQuery())
    alone = docs(store, "-Zorvath")  # only negated words: whatever lacks them
    assert alone == everyone - {courts, hearing, debate, undated} and alone


def test_names_are_found_under_their_other_spellings_beside_other_words(store):
    brussels = doc_of(store, "steppe_2014-10-09_nazarbaev_brussels.html")
    merkul = doc_of(store, "caspian_2024-08-08_comedian_merkul.html")
    closure = doc_of(store, "steppe_2015-02-27_almaty_appeal_media_closure.html")
    assert docs(store, "Zorvath Nazarbayev") == {doc_of(store, "courts.txt")}  # says Nazarbaev
    assert brussels in docs(store, "Nazarbayev Brussels")
    assert docs(store, "court Nazarbayev") == docs(store, "court") & docs(store, "Nazarbaev")
    assert {brussels, closure, merkul} <= docs(store, "kozlov OR merkul")
    assert docs(store, "kozlov OR merkul") == docs(store, "kozlov") | docs(store, "merkul")
    assert brussels in docs(store, "Zorvath OR Nazarbayev")
    assert store.search_terms("court Nazarbayev") == [["court"], ["Nazarbayev", "Nazarbaev"]]


def test_matched_words_are_marked_in_the_snippet(store):
    hits = everything(store, "Quillon")
    assert hits and all("[Quillon]" in h.snippet for h in hits)
    assert all(h.score is not None for h in hits)
    listed = everything(store, SearchQuery(country="KG"))
    assert listed and all("[" not in h.snippet and h.score is None for h in listed)


# -- order and pages ------------------------------------------------------------------------


def test_dates_order_the_hits_page_after_page_undated_last(store):
    courts, hearing = doc_of(store, "courts.txt"), doc_of(store, "hearing.txt")
    debate, undated = doc_of(store, "debate.txt"), doc_of(store, "undated.txt")
    newest = everything(store, SearchQuery(text="Zorvath", sort="newest"))
    oldest = everything(store, SearchQuery(text="Zorvath", sort="oldest"))
    assert [h.document_id for h in newest] == [hearing, courts, debate, undated]
    assert [h.document_id for h in oldest] == [debate, courts, hearing, undated]
    assert [h.date for h in oldest] == ["2018-01-01", "2019-05-02", "2019-06-10", None]
    ranked = everything(store, "Zorvath")  # by relevance, in pages of two
    assert sorted(h.document_id for h in ranked) == sorted([courts, hearing, debate, undated])
    scores = [h.score for h in ranked]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_newest_first_reads_the_same_whether_it_walks_the_matches_or_the_dates(
        stores, monkeypatch):
    from rightsrecord.store import sqlite

    store = stores["sqlite"]
    queries = [SearchQuery(text="rights", sort="newest"),
               SearchQuery(text="rights -Kyrgyzstan", sort="newest", country="KZ")]
    by_matches = [[h.id for h in everything(store, q)] for q in queries]
    monkeypatch.setattr(sqlite, "WALK_FROM", 1)  # every search newest first walks the dates
    assert [[h.id for h in everything(store, q)] for q in queries] == by_matches
    assert all(by_matches) and [store.find(q).total for q in queries] == [
        len(ids) for ids in by_matches]


def test_a_cursor_belongs_to_its_order(store):
    page = store.search(SearchQuery(text="Zorvath", sort="newest"), limit=1)
    assert page.next_cursor
    for other in ("oldest", "relevance"):
        with pytest.raises(BadCursor):
            store.search(SearchQuery(text="Zorvath", sort=other), limit=1,
                         cursor=page.next_cursor)
    for bad in ("garbage", encode_cursor(1), encode_cursor("relevance", "x", 1),
                encode_cursor("relevance", float("inf"), 1), encode_cursor("newest", 1.5, 1)):
        with pytest.raises(BadCursor):
            store.search("Zorvath", cursor=bad)
        with pytest.raises(BadCursor):
            store.search(SearchQuery(text="Zorvath", sort="newest"), cursor=bad)
    with pytest.raises(ValueError):
        store.search(SearchQuery(text="Zorvath", sort="best"))
    with pytest.raises(ValueError):
        store.search(SearchQuery(text="Zorvath", date_from="May 2019"))


def test_filters_alone_list_what_they_match_newest_first(store):
    hits = everything(store, SearchQuery(country="KG"))
    assert hits and all(h.country == "KG" for h in hits)
    dated = [h.date for h in hits if h.date]
    assert dated == sorted(dated, reverse=True)
    assert store.search("   ").data == [] and store.search("the of").data == []


def test_a_date_range_keeps_the_hits_dated_within_it(store):
    courts, hearing = doc_of(store, "courts.txt"), doc_of(store, "hearing.txt")
    debate = doc_of(store, "debate.txt")
    between = SearchQuery(text="Zorvath", date_from="2019-05-02", date_to="2019-06-09")
    assert docs(store, between) == {courts}
    assert docs(store, dataclasses.replace(between, date_to="2019-06-10")) == {courts, hearing}
    assert docs(store, SearchQuery(text="Zorvath", date_to="2018-12-31")) == {debate}
    assert docs(store, SearchQuery(text="Zorvath", date_from="2019")) == {courts, hearing}
    assert docs(store, SearchQuery(text="Zorvath", year=2018)) == {debate}
    items = everything(store, SearchQuery(date_from="2024-04-01", date_to="2024-04-30"))
    assert items and all(h.date and "2024-04" <= h.date[:7] <= "2024-04" for h in items)


# -- facets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "court", "Zorvath", "rights OR Zorvath"])
def test_facets_count_the_matches_and_each_value_filters(store, text):
    query = SearchQuery(text=text)
    found = store.find(query, limit=5)
    hits = everything(store, query)
    assert found.total == len(hits) and found.facets_complete
    assert found.hits.data == hits[:5]
    assert sum(c.count for c in found.facets["source_kind"]) == len(hits)
    for name, counts in found.facets.items():
        for c in counts:
            narrowed = dataclasses.replace(query, **{name: int(c.value) if name in (
                "year", "actor") else c.value})
            assert store.find(narrowed).total == c.count, (name, c)
    by_country: dict[str, int] = {}
    for h in hits:
        if h.country:
            by_country[h.country] = by_country.get(h.country, 0) + 1
    assert {c.value: c.count for c in found.facets["country"]} == by_country
    if text == "":
        assert {c.label for c in found.facets["country"]} >= {"Kazakhstan", "Kyrgyzstan"}
        assert {c.value for c in found.facets["source_kind"]} == {"html", "text", "listing"}
        assert found.facets["theme"] and found.facets["event_type"]
        assert any(c.label == "Alexandr Merkul" for c in found.facets["actor"])


def test_an_actor_filter_finds_the_texts_that_name_them(store):
    found = store.find(SearchQuery())
    merkul = next(c for c in found.facets["actor"] if c.label == "Alexandr Merkul")
    hits = everything(store, SearchQuery(actor=int(merkul.value)))
    assert len(hits) == merkul.count >= 1
    assert doc_of(store, "caspian_2024-08-08_comedian_merkul.html") in {
        h.document_id for h in hits}


# -- the two stores agree, and nothing typed breaks them --------------------------------------

# Words of the stored texts. A stop word ("the", "of") is left out of the queries that compare
# the stores: inside a phrase, PostgreSQL lets any word stand in for it, SQLite only itself.
VOCABULARY = ["court", "courts", "Zorvath", "Quillon", "freedom", "speech", "students",
              "activists", "protested", "Almaty", "Kazakhstan", "Kozlov", "merkul",
              "Nazarbayev", "journalists", "detained", "newspaper", "human", "rights", "2019",
              "2014-10-09", "e-mail", "zzzabsent"]
SYNTAX = ["OR", "NOT", "AND", "-", "-", '"', '"', "(", ")", "or", "*", ":", "^", "~", "+", "!",
          "&", "|", "\\", "'", "\x00", "\x07", "\u200b", "Жук", "漢字", "🙂", "\t", "\n"]


def queries(words: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(words + SYNTAX), st.sampled_from(["", " "])),
                    max_size=10).map(lambda parts: "".join(t + gap for t, gap in parts))


QUERIES = queries(VOCABULARY)


def test_stop_words_are_left_out_on_both_stores(store):
    assert docs(store, "the Zorvath of court") == docs(store, "Zorvath court") != set()
    assert docs(store, '"the Zorvath courts"') == docs(store, '"Zorvath courts"') != set()
    assert store.search("the of and").data == []


def test_both_stores_agree_on_a_few_queries(stores):
    for word in VOCABULARY:
        assert ids(stores["sqlite"].search(word, limit=1000).data) == ids(
            stores["postgresql"].search(word, limit=1000).data), word
    for query in ["court", "Zorvath -court", '"freedom of speech"', "kozlov OR merkul",
                  "rights (court OR Almaty) -Zorvath", "-rights"]:
        found = {kind: store.find(query, limit=1000) for kind, store in stores.items()}
        assert ids(found["sqlite"].hits.data) == ids(found["postgresql"].hits.data), query
        assert found["sqlite"].total == found["postgresql"].total
        assert found["sqlite"].facets == found["postgresql"].facets, query
    for sort in ("newest", "oldest"):
        lists = [[h.id for h in everything(s, SearchQuery(text="rights", sort=sort))]
                 for s in stores.values()]
        assert lists[0] == lists[1]


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_both_stores_find_the_same_texts_for_any_query(stores, query):
    found = [ids(s.search(query, limit=1000).data) for s in stores.values()]
    assert found[0] == found[1], query


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(query=st.one_of(queries([*VOCABULARY, "the", "of"]),
                      st.text(st.characters(exclude_categories=()), max_size=40)))
def test_no_query_string_raises(stores, query):
    for store in stores.values():
        store.search(query, limit=3)
        store.find(SearchQuery(text=query, sort="oldest"), limit=3)


# -- the store keeps its index right --------------------------------------------------------

KZ = [CountryScore("KZ", "Kazakhstan", 1.0, True)]


def _doc(title: str, text: str, digest: str) -> Document:
    return Document(url="https://example.org/a", kind="html",
                    body=Segment(text=text, countries=list(KZ)), content_hash=digest,
                    title=title, published="2020-01-01", source="example.org")


def test_a_document_is_found_by_its_current_version_only(db_file):
    with open_store(str(db_file)) as store:
        store.add(_doc("Zebras escape", "An old text about Almaty.", "v1"))
        store.add(_doc("Giraffes return", "A new text about Astana.", "v2"))
        assert [h.title for h in store.search("giraffe").data] == ["Giraffes return"]
        for gone in ("Zebras", "zebra", "Almaty"):  # the old version's title and text
            assert store.search(gone).data == []
        assert ["[Astana]" in h.snippet for h in store.search("Astana").data] == [True]


def test_an_item_stored_twice_is_found_once_until_its_copy_differs(db_file):
    def listing(url: str, digest: str) -> Document:
        item = Segment(text="Zorvath lawyers were disbarred.", kind="item", date="2021-03-04",
                       countries=list(KZ))
        return Document(url=url, kind="listing", body=Segment(text="Updates"),
                        segments=[item], content_hash=digest, source="example.org")

    with open_store(str(db_file)) as store:
        store.add(listing("https://example.org/a", "a"))
        second = store.add(listing("https://example.org/b", "b"))
        assert len(store.search("disbarred").data) == 1  # the copy is not found again
        (again,) = store.load_versions([v.version_id for v in store.all_versions()
                                        if v.document_id == second.document_id])
        again.segments[0].countries = [CountryScore("KG", "Kyrgyzstan", 1.0, True)]
        store.replace_facts([again])  # now an item of another country: found too
        assert sorted(h.country for h in store.search("disbarred").data) == ["KG", "KZ"]


# -- an existing store moves to stemmed search ------------------------------------------------

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=STORES)
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(dialect, where): a store made by 194d191, before search stemmed words."""
    if request.param == "sqlite":
        path = tmp_path / "old.db"
        path.write_bytes(gzip.decompress((DATA / "store_194d191.db.gz").read_bytes()))
        yield "sqlite", str(path)
        return
    from tests.store.test_upgrade import load_dump

    server = request.getfixturevalue("pg_server")
    name = f"old_{uuid.uuid4().hex}"
    url = server.create_database(name)
    try:
        load_dump(url, DATA / "store_194d191.pg.sql.gz")
        yield "postgresql", url
    finally:
        server.drop_database(name)


def raw(dialect: str, where: str, sql: str) -> list[tuple[Any, ...]]:
    if dialect == "sqlite":
        db = sqlite3.connect(where)
        try:
            return [tuple(r) for r in db.execute(sql)]
        finally:
            db.close()
    import psycopg

    with psycopg.connect(where) as db:
        return [tuple(r) for r in db.execute(sql)]


SEARCHABLE = ("SELECT s.id, CASE WHEN s.kind = 'body' THEN v.title ELSE s.title END, s.text"
              " FROM segments s JOIN versions v ON v.id = s.version_id WHERE s.live = 1"
              " AND (s.kind = 'body' OR (s.kind = 'item' AND s.dup_of IS NULL))")


def index(store: SQLStore) -> list[tuple[Any, ...]]:
    """What the full-text index holds, word by word."""
    if store.dialect == "sqlite":
        store._exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.words"
                    " USING fts5vocab('main', 'segments_fts', 'instance')")
        return [tuple(r) for r in store._all("SELECT term, doc, col, offset FROM temp.words"
                                             " ORDER BY doc, col, offset, term")]
    return [(r["id"], r["tsv"]) for r in store._all(
        "SELECT id, tsv::text AS tsv FROM segments WHERE tsv IS NOT NULL ORDER BY id")]


def test_an_old_store_searches_stemmed_words_once_opened(old_store):
    dialect, where = old_store
    texts = raw(dialect, where, SEARCHABLE)
    court = {i for i, title, text in texts
             if re.search(r"(?i)\bcourts?\b", f"{title or ''} {text}")}
    assert court and texts
    with open_store(where) as store:
        assert ids(everything(store, "court")) == ids(everything(store, "courts")) == court
        assert ids(everything(store, "confirmed shutdowns")) == ids(
            everything(store, "confirms shutdown")) != set()
        migrated = index(store)
        worded = {i for i, title, text in texts if re.search(r"\w", f"{title or ''}{text}")}
        assert {r[1] for r in migrated} == worded if dialect == "sqlite" else {
            r[0] for r in migrated} == {i for i, _, _ in texts}
        if dialect == "sqlite":  # the migration indexed each text as the store indexes it
            with store._tx():
                for i, _, _ in texts:
                    store._unindex_segment(i, None, "")
                    store._index_segment(i, None, "")
            assert index(store) == migrated
