"""The schema both stores share, written once with placeholders each dialect fills in.

`{pk}` is an auto-assigned integer key, `{int}` an integer that may point at one, `{float}` a
double. Full-text search is the dialect's own (FTS5 in SQLite, tsvector and GIN in
PostgreSQL). See docs/model.md for the picture of what points to what.
"""

from __future__ import annotations

TABLES = """
CREATE TABLE sources (
    id {pk},
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('web', 'file', 'stdin', 'text')),
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS countries (
    code TEXT PRIMARY KEY CHECK (length(code) = 2),
    name TEXT NOT NULL
);
-- A document is its address; its id never changes. Each read of changed content at the
-- address is a new version.
CREATE TABLE documents (
    id {pk},
    url TEXT NOT NULL UNIQUE,
    source_id {int} NOT NULL REFERENCES sources(id),
    created_at TEXT NOT NULL,
    current_version {int} NOT NULL DEFAULT 0
);
CREATE TABLE versions (
    id {pk},
    document_id {int} NOT NULL REFERENCES documents(id),
    n {int} NOT NULL CHECK (n >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('html', 'text', 'feed', 'pdf', 'listing')),
    title TEXT,
    published TEXT,
    fetched_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    country TEXT REFERENCES countries(code),
    stages TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, n)
);
CREATE INDEX versions_stages ON versions(stages, id);
-- The texts of a version: its body, its listing or feed items, its summary blocks. Every
-- fact points at a segment, and its offsets refer to the segment's text.
CREATE TABLE segments (
    id {pk},
    version_id {int} NOT NULL REFERENCES versions(id),
    document_id {int} NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL CHECK (kind IN ('body', 'item', 'summary')),
    position {int} NOT NULL,
    title TEXT,
    date TEXT,
    year {int},
    url TEXT,
    text TEXT NOT NULL,
    country TEXT REFERENCES countries(code),
    fingerprint TEXT NOT NULL,
    dup_of {int},
    live {int} NOT NULL DEFAULT 1,
    feed {int} NOT NULL DEFAULT 0,
    sort_key TEXT NOT NULL,
    stages TEXT NOT NULL DEFAULT '',
    UNIQUE (version_id, kind, position)
);
CREATE INDEX segments_version ON segments(version_id);
CREATE INDEX segments_fingerprint ON segments(fingerprint);
CREATE INDEX segments_feed ON segments(country, sort_key, id) WHERE feed = 1;
CREATE INDEX segments_summaries ON segments(country, sort_key, id)
    WHERE kind = 'summary' AND dup_of IS NULL;
CREATE INDEX segments_recent ON segments(sort_key, id) WHERE kind = 'body' AND live = 1;
-- Spans with a kind: a date, a place, an actor's mention, a participant named in an event.
CREATE TABLE mentions (
    id {pk},
    segment_id {int} NOT NULL REFERENCES segments(id),
    kind TEXT NOT NULL CHECK (kind IN ('date', 'place', 'actor', 'participant')),
    span_start {int} NOT NULL CHECK (span_start >= 0),
    span_end {int} NOT NULL CHECK (span_end >= span_start),
    text TEXT NOT NULL,
    subtype TEXT,
    value TEXT,
    actor_id {int},
    stage TEXT NOT NULL
);
CREATE INDEX mentions_segment ON mentions(segment_id);
-- An actor of one text, with its canonical key; cross-document identities attach here.
CREATE TABLE actors (
    id {pk},
    segment_id {int} NOT NULL REFERENCES segments(id),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    role TEXT,
    stage TEXT NOT NULL
);
CREATE INDEX actors_segment ON actors(segment_id);
CREATE INDEX actors_key ON actors(key);
-- An event; cross-document event clusters attach to its id.
CREATE TABLE events (
    id {pk},
    segment_id {int} NOT NULL REFERENCES segments(id),
    type TEXT NOT NULL,
    span_start {int} NOT NULL,
    span_end {int} NOT NULL,
    trigger_start {int},
    trigger_end {int},
    date TEXT,
    date_precision TEXT,
    date_source TEXT,
    country TEXT,
    agent_text TEXT,
    target_text TEXT,
    score {float} NOT NULL,
    stage TEXT NOT NULL
);
CREATE INDEX events_segment ON events(segment_id);
CREATE INDEX events_type_date ON events(type, date);
CREATE TABLE event_roles (
    event_id {int} NOT NULL REFERENCES events(id),
    role TEXT NOT NULL CHECK (role IN ('agent', 'target')),
    mention_id {int} NOT NULL REFERENCES mentions(id),
    PRIMARY KEY (event_id, role)
);
-- Categories of a text: its themes, and the countries it is about, ranked.
CREATE TABLE categories (
    id {pk},
    segment_id {int} NOT NULL REFERENCES segments(id),
    kind TEXT NOT NULL CHECK (kind IN ('theme', 'country')),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    score {float} NOT NULL,
    rank {int} NOT NULL,
    is_primary {int} NOT NULL DEFAULT 0,
    stage TEXT NOT NULL
);
CREATE INDEX categories_segment ON categories(segment_id);
CREATE INDEX categories_code ON categories(kind, code);
-- Counters kept with every write, so the home page never scans the store.
CREATE TABLE stats (
    key TEXT PRIMARY KEY,
    value {int} NOT NULL
);
CREATE TABLE country_stats (
    code TEXT PRIMARY KEY,
    documents {int} NOT NULL DEFAULT 0,
    items {int} NOT NULL DEFAULT 0,
    summaries {int} NOT NULL DEFAULT 0
);
"""


def tables(pk: str, integer: str, double: str) -> str:
    return TABLES.replace("{pk}", pk).replace("{int}", integer).replace("{float}", double)


# Linking across documents (migration 3): copies, event clusters and their reports,
# corrections by people, actor identities and their aliases.
LINKS = """
-- What linking compares, one row per linked text (an article's body or a listing item).
CREATE TABLE link_units (
    segment_id {int} PRIMARY KEY REFERENCES segments(id),
    document_id {int} NOT NULL REFERENCES documents(id),
    record TEXT NOT NULL,
    signature TEXT
);
CREATE INDEX link_units_document ON link_units(document_id);
-- Document frequencies of the words (and, as `n:` + word, the names) of linked texts:
-- the IDF of the text signals. `_texts` counts the texts.
CREATE TABLE link_terms (
    term TEXT PRIMARY KEY,
    df {int} NOT NULL
);
-- MinHash LSH bands of article bodies: a shared band makes two documents candidates.
CREATE TABLE copy_bands (
    band TEXT NOT NULL,
    document_id {int} NOT NULL REFERENCES documents(id)
);
CREATE INDEX copy_bands_band ON copy_bands(band);
CREATE INDEX copy_bands_document ON copy_bands(document_id);
-- A document that repeats an earlier one: kept, and listed as a place it was published.
CREATE TABLE copies (
    document_id {int} PRIMARY KEY REFERENCES documents(id),
    copy_of {int} NOT NULL REFERENCES documents(id),
    similarity {float} NOT NULL,
    stage TEXT NOT NULL
);
CREATE INDEX copies_of ON copies(copy_of);
-- One real-world event, reported by one or more texts.
CREATE TABLE clusters (
    id {pk},
    type TEXT,
    day TEXT,
    country TEXT,
    title TEXT,
    reports {int} NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX clusters_block ON clusters(country, day);
-- A report of a cluster's event: a text's main event (main = 1, the text's development;
-- event_id NULL where the text names no event) or another event naming a known target.
-- `signals` and `score` say why it joined; `linked_by` is the stage or 'person'.
CREATE TABLE reports (
    id {pk},
    cluster_id {int} NOT NULL REFERENCES clusters(id),
    segment_id {int} NOT NULL REFERENCES segments(id),
    document_id {int} NOT NULL REFERENCES documents(id),
    event_id {int},
    event_key TEXT NOT NULL,
    main {int} NOT NULL DEFAULT 0,
    lead {int} NOT NULL DEFAULT 0,
    type TEXT,
    day TEXT,
    target_identity {int},
    sort_key TEXT NOT NULL,
    score {float} NOT NULL,
    signals TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (event_key)
);
CREATE INDEX reports_cluster ON reports(cluster_id);
CREATE INDEX reports_segment ON reports(segment_id);
CREATE INDEX reports_target ON reports(target_identity, type);
-- A person's correction: two reports (by event key) kept apart or together; linking
-- honours every one of them, however often it runs again.
CREATE TABLE corrections (
    id {pk},
    kind TEXT NOT NULL CHECK (kind IN ('apart', 'together')),
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX corrections_a ON corrections(a);
CREATE INDEX corrections_b ON corrections(b);
-- One person or organisation across documents, and every spelling it was seen under.
CREATE TABLE identities (
    id {pk},
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    surname TEXT,
    name TEXT NOT NULL,
    mentions {int} NOT NULL DEFAULT 0,
    cited {int} NOT NULL DEFAULT 0
);
CREATE INDEX identities_key ON identities(type, key);
CREATE INDEX identities_surname ON identities(type, surname);
CREATE TABLE aliases (
    identity_id {int} NOT NULL REFERENCES identities(id),
    alias TEXT NOT NULL,
    folded TEXT NOT NULL,
    PRIMARY KEY (identity_id, alias)
);
CREATE INDEX aliases_folded ON aliases(folded);
CREATE TABLE actor_identities (
    actor_id {int} PRIMARY KEY,
    identity_id {int} NOT NULL REFERENCES identities(id),
    score {float} NOT NULL
);
CREATE INDEX actor_identities_identity ON actor_identities(identity_id);
"""


def links(pk: str, integer: str, double: str) -> str:
    return LINKS.replace("{pk}", pk).replace("{int}", integer).replace("{float}", double)
