"""The SQL of every migration that has shipped, for each dialect, written out in full.

A store made by a release has run these texts as they were then, so none of them may change
once released: a change to the schema is a new migration (see `migrations.py`) that also
works on a store that already has the change. The texts were first written with placeholders
filled in per dialect; they are kept here as they were run. See docs/model.md for the
picture of what points to what.
"""

from __future__ import annotations

# SQLite 1, `initial` (7c2d95f): one row per document version, facts as JSON.
INITIAL_SQLITE = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('web', 'file')),
    created_at TEXT NOT NULL
);
CREATE TABLE countries (
    code TEXT PRIMARY KEY CHECK (length(code) = 2),
    name TEXT NOT NULL
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    url TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),
    kind TEXT NOT NULL CHECK (kind IN ('html', 'text', 'feed', 'pdf', 'listing')),
    title TEXT,
    published TEXT,
    fetched_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    country TEXT REFERENCES countries(code),
    UNIQUE (url, version)
);
CREATE INDEX documents_current ON documents(url) WHERE is_current = 1;
CREATE INDEX documents_country ON documents(country, published);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    date TEXT,
    title TEXT,
    text TEXT,
    url TEXT,
    country TEXT REFERENCES countries(code)
);
CREATE INDEX items_country ON items(country, date);
CREATE INDEX items_document ON items(document_id);
CREATE TABLE summaries (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    year INTEGER,
    text TEXT NOT NULL,
    country TEXT REFERENCES countries(code)
);
CREATE INDEX summaries_country ON summaries(country);
CREATE INDEX summaries_document ON summaries(document_id);
-- Every extracted fact, with the span it came from and the stage (and version) that
-- made it. `target` says which text the offsets refer to.
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    target TEXT NOT NULL CHECK (target IN ('document', 'item', 'summary')),
    target_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('date', 'place', 'theme', 'actor', 'event')),
    start INTEGER NOT NULL CHECK (start >= 0),
    end INTEGER NOT NULL CHECK (end >= start),
    text TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT '{}',
    stage TEXT NOT NULL
);
CREATE INDEX annotations_target ON annotations(target, target_id, kind);
CREATE INDEX annotations_document ON annotations(document_id);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE VIRTUAL TABLE items_fts USING fts5(
    title, text, content='items', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
"""

# SQLite 2, `documents_versions_segments` (8487cbe): stable documents with versions,
# segments and typed facts. PostgreSQL began here, as its migration 1, `shared_schema`.
SHARED_SCHEMA_SQLITE = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    created_at TEXT NOT NULL,
    current_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    n INTEGER NOT NULL CHECK (n >= 1),
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
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES versions(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL CHECK (kind IN ('body', 'item', 'summary')),
    position INTEGER NOT NULL,
    title TEXT,
    date TEXT,
    year INTEGER,
    url TEXT,
    text TEXT NOT NULL,
    country TEXT REFERENCES countries(code),
    fingerprint TEXT NOT NULL,
    dup_of INTEGER,
    live INTEGER NOT NULL DEFAULT 1,
    feed INTEGER NOT NULL DEFAULT 0,
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
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    kind TEXT NOT NULL CHECK (kind IN ('date', 'place', 'actor', 'participant')),
    span_start INTEGER NOT NULL CHECK (span_start >= 0),
    span_end INTEGER NOT NULL CHECK (span_end >= span_start),
    text TEXT NOT NULL,
    subtype TEXT,
    value TEXT,
    actor_id INTEGER,
    stage TEXT NOT NULL
);
CREATE INDEX mentions_segment ON mentions(segment_id);
-- An actor of one text, with its canonical key; cross-document identities attach here.
CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id),
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
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    type TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end INTEGER NOT NULL,
    trigger_start INTEGER,
    trigger_end INTEGER,
    date TEXT,
    date_precision TEXT,
    date_source TEXT,
    country TEXT,
    agent_text TEXT,
    target_text TEXT,
    score REAL NOT NULL,
    stage TEXT NOT NULL
);
CREATE INDEX events_segment ON events(segment_id);
CREATE INDEX events_type_date ON events(type, date);
CREATE TABLE event_roles (
    event_id INTEGER NOT NULL REFERENCES events(id),
    role TEXT NOT NULL CHECK (role IN ('agent', 'target')),
    mention_id INTEGER NOT NULL REFERENCES mentions(id),
    PRIMARY KEY (event_id, role)
);
-- Categories of a text: its themes, and the countries it is about, ranked.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    kind TEXT NOT NULL CHECK (kind IN ('theme', 'country')),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    score REAL NOT NULL,
    rank INTEGER NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0,
    stage TEXT NOT NULL
);
CREATE INDEX categories_segment ON categories(segment_id);
CREATE INDEX categories_code ON categories(kind, code);
-- Counters kept with every write, so the home page never scans the store.
CREATE TABLE stats (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE country_stats (
    code TEXT PRIMARY KEY,
    documents INTEGER NOT NULL DEFAULT 0,
    items INTEGER NOT NULL DEFAULT 0,
    summaries INTEGER NOT NULL DEFAULT 0
);
"""
SEGMENTS_FTS_SQLITE = """
CREATE VIRTUAL TABLE segments_fts USING fts5(
    title, text, content='segments', content_rowid='id', tokenize='unicode61'
);
"""

SHARED_SCHEMA_POSTGRESQL = """
CREATE TABLE sources (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    source_id BIGINT NOT NULL REFERENCES sources(id),
    created_at TEXT NOT NULL,
    current_version BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE versions (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents(id),
    n BIGINT NOT NULL CHECK (n >= 1),
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES versions(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL CHECK (kind IN ('body', 'item', 'summary')),
    position BIGINT NOT NULL,
    title TEXT,
    date TEXT,
    year BIGINT,
    url TEXT,
    text TEXT NOT NULL,
    country TEXT REFERENCES countries(code),
    fingerprint TEXT NOT NULL,
    dup_of BIGINT,
    live BIGINT NOT NULL DEFAULT 1,
    feed BIGINT NOT NULL DEFAULT 0,
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id),
    kind TEXT NOT NULL CHECK (kind IN ('date', 'place', 'actor', 'participant')),
    span_start BIGINT NOT NULL CHECK (span_start >= 0),
    span_end BIGINT NOT NULL CHECK (span_end >= span_start),
    text TEXT NOT NULL,
    subtype TEXT,
    value TEXT,
    actor_id BIGINT,
    stage TEXT NOT NULL
);
CREATE INDEX mentions_segment ON mentions(segment_id);
-- An actor of one text, with its canonical key; cross-document identities attach here.
CREATE TABLE actors (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id),
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id),
    type TEXT NOT NULL,
    span_start BIGINT NOT NULL,
    span_end BIGINT NOT NULL,
    trigger_start BIGINT,
    trigger_end BIGINT,
    date TEXT,
    date_precision TEXT,
    date_source TEXT,
    country TEXT,
    agent_text TEXT,
    target_text TEXT,
    score DOUBLE PRECISION NOT NULL,
    stage TEXT NOT NULL
);
CREATE INDEX events_segment ON events(segment_id);
CREATE INDEX events_type_date ON events(type, date);
CREATE TABLE event_roles (
    event_id BIGINT NOT NULL REFERENCES events(id),
    role TEXT NOT NULL CHECK (role IN ('agent', 'target')),
    mention_id BIGINT NOT NULL REFERENCES mentions(id),
    PRIMARY KEY (event_id, role)
);
-- Categories of a text: its themes, and the countries it is about, ranked.
CREATE TABLE categories (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    segment_id BIGINT NOT NULL REFERENCES segments(id),
    kind TEXT NOT NULL CHECK (kind IN ('theme', 'country')),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    rank BIGINT NOT NULL,
    is_primary BIGINT NOT NULL DEFAULT 0,
    stage TEXT NOT NULL
);
CREATE INDEX categories_segment ON categories(segment_id);
CREATE INDEX categories_code ON categories(kind, code);
-- Counters kept with every write, so the home page never scans the store.
CREATE TABLE stats (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
CREATE TABLE country_stats (
    code TEXT PRIMARY KEY,
    documents BIGINT NOT NULL DEFAULT 0,
    items BIGINT NOT NULL DEFAULT 0,
    summaries BIGINT NOT NULL DEFAULT 0
);

ALTER TABLE segments ADD COLUMN tsv tsvector GENERATED ALWAYS AS
    (to_tsvector('simple', coalesce(title, '') || ' ' || left(text, 200000))) STORED;
CREATE INDEX segments_tsv ON segments USING GIN (tsv)
    WHERE live = 1 AND (kind = 'body' OR (kind = 'item' AND dup_of IS NULL));
"""

# SQLite 3 and PostgreSQL 2, `links` (afc48d4): linking across documents: copies, event
# clusters and their reports, corrections by people, actor identities and their aliases.
LINKS_SQLITE = """
-- What linking compares, one row per linked text (an article's body or a listing item).
CREATE TABLE link_units (
    segment_id INTEGER PRIMARY KEY REFERENCES segments(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    record TEXT NOT NULL,
    signature TEXT
);
CREATE INDEX link_units_document ON link_units(document_id);
-- Document frequencies of the words (and, as `n:` + word, the names) of linked texts:
-- the IDF of the text signals. `_texts` counts the texts.
CREATE TABLE link_terms (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
-- MinHash LSH bands of article bodies: a shared band makes two documents candidates.
CREATE TABLE copy_bands (
    band TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id)
);
CREATE INDEX copy_bands_band ON copy_bands(band);
CREATE INDEX copy_bands_document ON copy_bands(document_id);
-- A document that repeats an earlier one: kept, and listed as a place it was published.
CREATE TABLE copies (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    copy_of INTEGER NOT NULL REFERENCES documents(id),
    similarity REAL NOT NULL,
    stage TEXT NOT NULL
);
CREATE INDEX copies_of ON copies(copy_of);
-- One real-world event, reported by one or more texts.
CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    type TEXT,
    day TEXT,
    country TEXT,
    title TEXT,
    reports INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX clusters_block ON clusters(country, day);
-- A report of a cluster's event: a text's main event (main = 1, the text's development;
-- event_id NULL where the text names no event) or another event naming a known target.
-- `signals` and `score` say why it joined; `linked_by` is the stage or 'person'.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id),
    segment_id INTEGER NOT NULL REFERENCES segments(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    event_id INTEGER,
    event_key TEXT NOT NULL,
    main INTEGER NOT NULL DEFAULT 0,
    lead INTEGER NOT NULL DEFAULT 0,
    type TEXT,
    day TEXT,
    target_identity INTEGER,
    sort_key TEXT NOT NULL,
    score REAL NOT NULL,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    surname TEXT,
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX identities_key ON identities(type, key);
CREATE INDEX identities_surname ON identities(type, surname);
CREATE TABLE aliases (
    identity_id INTEGER NOT NULL REFERENCES identities(id),
    alias TEXT NOT NULL,
    folded TEXT NOT NULL,
    PRIMARY KEY (identity_id, alias)
);
CREATE INDEX aliases_folded ON aliases(folded);
CREATE TABLE actor_identities (
    actor_id INTEGER PRIMARY KEY,
    identity_id INTEGER NOT NULL REFERENCES identities(id),
    score REAL NOT NULL
);
CREATE INDEX actor_identities_identity ON actor_identities(identity_id);
"""

LINKS_POSTGRESQL = """
-- What linking compares, one row per linked text (an article's body or a listing item).
CREATE TABLE link_units (
    segment_id BIGINT PRIMARY KEY REFERENCES segments(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    record TEXT NOT NULL,
    signature TEXT
);
CREATE INDEX link_units_document ON link_units(document_id);
-- Document frequencies of the words (and, as `n:` + word, the names) of linked texts:
-- the IDF of the text signals. `_texts` counts the texts.
CREATE TABLE link_terms (
    term TEXT PRIMARY KEY,
    df BIGINT NOT NULL
);
-- MinHash LSH bands of article bodies: a shared band makes two documents candidates.
CREATE TABLE copy_bands (
    band TEXT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents(id)
);
CREATE INDEX copy_bands_band ON copy_bands(band);
CREATE INDEX copy_bands_document ON copy_bands(document_id);
-- A document that repeats an earlier one: kept, and listed as a place it was published.
CREATE TABLE copies (
    document_id BIGINT PRIMARY KEY REFERENCES documents(id),
    copy_of BIGINT NOT NULL REFERENCES documents(id),
    similarity DOUBLE PRECISION NOT NULL,
    stage TEXT NOT NULL
);
CREATE INDEX copies_of ON copies(copy_of);
-- One real-world event, reported by one or more texts.
CREATE TABLE clusters (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    type TEXT,
    day TEXT,
    country TEXT,
    title TEXT,
    reports BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX clusters_block ON clusters(country, day);
-- A report of a cluster's event: a text's main event (main = 1, the text's development;
-- event_id NULL where the text names no event) or another event naming a known target.
-- `signals` and `score` say why it joined; `linked_by` is the stage or 'person'.
CREATE TABLE reports (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    cluster_id BIGINT NOT NULL REFERENCES clusters(id),
    segment_id BIGINT NOT NULL REFERENCES segments(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    event_id BIGINT,
    event_key TEXT NOT NULL,
    main BIGINT NOT NULL DEFAULT 0,
    lead BIGINT NOT NULL DEFAULT 0,
    type TEXT,
    day TEXT,
    target_identity BIGINT,
    sort_key TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
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
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    surname TEXT,
    name TEXT NOT NULL,
    mentions BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX identities_key ON identities(type, key);
CREATE INDEX identities_surname ON identities(type, surname);
CREATE TABLE aliases (
    identity_id BIGINT NOT NULL REFERENCES identities(id),
    alias TEXT NOT NULL,
    folded TEXT NOT NULL,
    PRIMARY KEY (identity_id, alias)
);
CREATE INDEX aliases_folded ON aliases(folded);
CREATE TABLE actor_identities (
    actor_id BIGINT PRIMARY KEY,
    identity_id BIGINT NOT NULL REFERENCES identities(id),
    score DOUBLE PRECISION NOT NULL
);
CREATE INDEX actor_identities_identity ON actor_identities(identity_id);
"""

# SQLite 4 and PostgreSQL 3, `identities_cited`: how often an identity is cited as a source.
# Stores made from 194d191 on have the column already (it was added to `links` then), so the
# SQLite migration adds it only where it is missing (see `migrations.py`).
IDENTITIES_CITED_SQLITE = """
ALTER TABLE identities ADD COLUMN cited INTEGER NOT NULL DEFAULT 0;
"""
IDENTITIES_CITED_POSTGRESQL = """
ALTER TABLE identities ADD COLUMN IF NOT EXISTS cited BIGINT NOT NULL DEFAULT 0;
"""

# SQLite 5 and PostgreSQL 4, `versions_notes`: what a reading limit or the stages' budget left
# out of a version, as a JSON list of sentences; NULL where nothing was left out.
VERSIONS_NOTES_SQLITE = """
ALTER TABLE versions ADD COLUMN notes TEXT;
"""
VERSIONS_NOTES_POSTGRESQL = """
ALTER TABLE versions ADD COLUMN IF NOT EXISTS notes TEXT;
"""

# `versions_canonical`: where a version says it lives and who published it (`canonical_url`,
# `outlet`, read from its content), and `sources` named by outlet or kind, never by a path:
# the rows a local folder named are merged into the row named by their kind ("file").
SOURCES_WITHOUT_PATHS = """
INSERT INTO sources (name, kind, created_at)
SELECT s.kind, s.kind, MIN(s.created_at) FROM sources s
WHERE ((s.kind = 'file' AND s.name <> 'file') OR replace(s.name, '/', '') <> s.name
       OR replace(s.name, '\\', '') <> s.name)
  AND NOT EXISTS (SELECT 1 FROM sources t WHERE t.name = s.kind)
GROUP BY s.kind;
UPDATE documents SET source_id = (
    SELECT t.id FROM sources s JOIN sources t ON t.name = s.kind
    WHERE s.id = documents.source_id)
WHERE source_id IN (
    SELECT id FROM sources WHERE (kind = 'file' AND name <> 'file')
        OR replace(name, '/', '') <> name OR replace(name, '\\', '') <> name);
DELETE FROM sources WHERE (kind = 'file' AND name <> 'file')
    OR replace(name, '/', '') <> name OR replace(name, '\\', '') <> name;
UPDATE stats SET value = (SELECT COUNT(*) FROM sources) WHERE key = 'sources';
"""
VERSIONS_CANONICAL_SQLITE = """
ALTER TABLE versions ADD COLUMN canonical_url TEXT;
ALTER TABLE versions ADD COLUMN outlet TEXT;
"""
VERSIONS_CANONICAL_POSTGRESQL = """
ALTER TABLE versions ADD COLUMN IF NOT EXISTS canonical_url TEXT;
ALTER TABLE versions ADD COLUMN IF NOT EXISTS outlet TEXT;
""" + SOURCES_WITHOUT_PATHS

# `search_stemmed`: full-text search that stems English words (`court` finds `courts`) on
# both stores, and finds a document by its title. Indexed: the live body of each document
# (with its version's title) and every listing item stored once (with its own title).
# SQLite rebuilds `segments_fts` with the Porter stemmer. PostgreSQL's `tsv` uses the
# `english` configuration, with the characters its parser joins words by (`e-mail`,
# `2015-02-27`) read as spaces so that words are cut as FTS5 cuts them; a trigger keeps it
# (a generated column cannot read the version's title). Its statements run one by one.
# `segments_search` lists the searchable texts by date, for a search by filters alone; on
# SQLite it and `segments_found` (by id, for the matches of words) hold the columns filters
# read, which a row keeps after its long text.
SEARCH_STEMMED_SQLITE = """
DROP TABLE IF EXISTS segments_fts;
CREATE VIRTUAL TABLE segments_fts USING fts5(
    title, text, content='segments', content_rowid='id', tokenize='porter unicode61'
);
INSERT INTO segments_fts (rowid, title, text)
SELECT s.id, CASE WHEN s.kind = 'body' THEN v.title ELSE s.title END, s.text
FROM segments s JOIN versions v ON v.id = s.version_id
WHERE s.live = 1 AND (s.kind = 'body' OR (s.kind = 'item' AND s.dup_of IS NULL));
CREATE INDEX IF NOT EXISTS segments_search ON segments(sort_key, id, country, version_id)
    WHERE live = 1 AND (kind = 'body' OR (kind = 'item' AND dup_of IS NULL));
CREATE INDEX IF NOT EXISTS segments_found ON segments(id, country, sort_key, version_id)
    WHERE live = 1 AND (kind = 'body' OR (kind = 'item' AND dup_of IS NULL));
"""
SEARCH_STEMMED_POSTGRESQL = (
    "ALTER TABLE segments DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE segments ADD COLUMN tsv tsvector",
    # A searchable text's words: its title (weight A, which ts_rank counts ten times a word
    # of the text; a document's title is its version's) and its text. Kept as a row is
    # written, so an unchanged text keeps its words.
    """CREATE OR REPLACE FUNCTION segments_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.live = 1 AND (NEW.kind = 'body' OR (NEW.kind = 'item' AND NEW.dup_of IS NULL)) THEN
        IF TG_OP = 'UPDATE' AND OLD.tsv IS NOT NULL THEN
            NEW.tsv := OLD.tsv;
        ELSE
            NEW.tsv := setweight(to_tsvector('english', translate(coalesce(
                CASE WHEN NEW.kind = 'body'
                     THEN (SELECT v.title FROM versions v WHERE v.id = NEW.version_id)
                     ELSE NEW.title END, ''), '-./@:+&<>~', '          ')), 'A')
                || to_tsvector('english',
                               translate(left(NEW.text, 200000), '-./@:+&<>~', '          '));
        END IF;
    ELSE
        NEW.tsv := NULL;
    END IF;
    RETURN NEW;
END
$$""",
    "DROP TRIGGER IF EXISTS segments_tsv ON segments",
    "CREATE TRIGGER segments_tsv BEFORE INSERT OR UPDATE OF live, dup_of ON segments"
    " FOR EACH ROW EXECUTE FUNCTION segments_tsv()",
    "UPDATE segments SET live = live"
    " WHERE live = 1 AND (kind = 'body' OR (kind = 'item' AND dup_of IS NULL))",
    "CREATE INDEX segments_tsv ON segments USING GIN (tsv)"
    " WHERE live = 1 AND (kind = 'body' OR (kind = 'item' AND dup_of IS NULL))",
    "CREATE INDEX IF NOT EXISTS segments_search ON segments(sort_key, id)"
    " WHERE live = 1 AND (kind = 'body' OR (kind = 'item' AND dup_of IS NULL))",
)

# `living_record`: what the record keeps beside the documents. UN recommendations (UPR and
# treaty bodies) with their themes; drafts derived from the record, kept with the stamp of
# the record they were made from; watchlists, the alerts they raised and the deliveries of
# those alerts to webhooks, every attempt logged.
_LIVING_RECORD = """
-- A recommendation made to a state under review. `key` (a hash of body, states, session and
-- text) makes ingesting a file again a no-op. `date` is when it was made: as the file gives
-- it (`date_basis` 'given'), else the opening day of its session ('session').
CREATE TABLE recommendations (
    id {id},
    key TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    country TEXT NOT NULL,
    recommending_state TEXT,
    text TEXT NOT NULL,
    response TEXT,
    session {int},
    cycle {int},
    date TEXT,
    date_basis TEXT,
    source TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX recommendations_country ON recommendations(country, date);
-- A recommendation's themes: as the file gives them (`basis` 'given') or as the themes
-- stage read them (`basis` the stage, with its score).
CREATE TABLE recommendation_themes (
    recommendation_id {int} NOT NULL REFERENCES recommendations(id),
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    basis TEXT NOT NULL,
    score {real},
    PRIMARY KEY (recommendation_id, code)
);
CREATE INDEX recommendation_themes_code ON recommendation_themes(code);
-- Something derived from a country's record (a draft summary), kept with the stamp of the
-- record it was made from and the stage that made it; made again when the stamp moves.
CREATE TABLE derived (
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    stamp TEXT NOT NULL,
    stage TEXT NOT NULL,
    body TEXT NOT NULL,
    made_at TEXT NOT NULL,
    PRIMARY KEY (country, kind)
);
-- A saved query. It matches reports linked after `watermark` (a report id) of documents
-- stored since it was made; `secret` signs its webhook's deliveries. An actor is kept by
-- its identity's type and key, which linking everything again keeps (ids it does not).
CREATE TABLE watchlists (
    id {id},
    name TEXT NOT NULL,
    country TEXT,
    theme TEXT,
    actor {int},
    actor_type TEXT,
    actor_key TEXT,
    event_type TEXT,
    text TEXT,
    webhook_url TEXT,
    secret TEXT,
    watermark {int} NOT NULL DEFAULT 0,
    active {int} NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
-- A development a watchlist matched: one per watchlist and report (by its stable event
-- key), with the JSON it is delivered as.
CREATE TABLE alerts (
    id {id},
    watchlist_id {int} NOT NULL REFERENCES watchlists(id),
    event_key TEXT NOT NULL,
    cluster_id {int},
    document_id {int} NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (watchlist_id, event_key)
);
CREATE INDEX alerts_watchlist ON alerts(watchlist_id, id);
-- An alert's delivery to its watchlist's webhook: pending until a 2xx answer, failed after
-- the last allowed attempt (kept, and sent again on request).
CREATE TABLE deliveries (
    alert_id {int} PRIMARY KEY REFERENCES alerts(id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts {int} NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at TEXT,
    last_error TEXT
);
CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
-- Every attempt to deliver an alert: its answer's status code, or why there was none.
CREATE TABLE delivery_attempts (
    id {id},
    alert_id {int} NOT NULL REFERENCES alerts(id),
    attempted_at TEXT NOT NULL,
    status_code {int},
    error TEXT,
    elapsed_ms {int}
);
CREATE INDEX delivery_attempts_alert ON delivery_attempts(alert_id);
CREATE INDEX clusters_created ON clusters(country, created_at);
CREATE INDEX documents_created ON documents(created_at);
CREATE INDEX versions_fetched ON versions(fetched_at);
CREATE INDEX corrections_created ON corrections(created_at);
"""
LIVING_RECORD_SQLITE = _LIVING_RECORD.format(id="INTEGER PRIMARY KEY", int="INTEGER",
                                             real="REAL")
LIVING_RECORD_POSTGRESQL = _LIVING_RECORD.format(
    id="BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", int="BIGINT",
    real="DOUBLE PRECISION")
