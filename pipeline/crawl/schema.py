"""Tables of the crawl stage: ``pages`` (what each URL gave) and ``frontier`` (what is left to do).

``pages`` keeps the raw bytes of every fetched page, so documents can be re-parsed
by a newer parser without asking the site again, and the validators (ETag,
Last-Modified) that make the next night's requests conditional.

``frontier`` is the crawl queue, kept in the store rather than in memory so that a
run killed at any moment leaves a queue the next run finishes. Each row carries the
run (``pass``) that last queued or saw it: a URL is visited at most once per run,
and anything still ``queued`` or ``failed`` when a run ends is taken up by the next —
unless it has failed ``max_failures`` runs in a row (``pages.failures``): then its
state becomes ``given_up`` and it is left alone. (That state came after the table;
the column comment below, part of migration 3, lists the first four.) Likewise
``kind`` took a later value in both tables, ``continuation``: a page of an article the
site split over several pages (:mod:`.pager`), whose frontier ``referrer`` is the
article; it is stored like any page and ingested only as part of its article.

Statements use ``IF NOT EXISTS`` because stores made before this step existed ran
it as a no-op: :func:`ensure` creates the tables there on first use.
"""

from __future__ import annotations

PAGES = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,            -- as linked (normalised); documents.source of what it gave
    site TEXT NOT NULL,              -- [[site]] name
    kind TEXT NOT NULL,              -- list | article | attachment | robots
    final_url TEXT,                  -- after redirects
    fetched_at TEXT,                 -- last request, whatever came of it (UTC ISO)
    status INTEGER,                  -- HTTP status of the last response (304 = not modified); NULL: none came
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,                     -- of raw
    raw BLOB,                        -- body of the last 200 as received (after transfer decoding)
    content_type TEXT,
    changed_at TEXT,                 -- when raw last changed
    error TEXT,                      -- reason of the last failure; NULL after a success
    attempts INTEGER NOT NULL DEFAULT 0,   -- requests made by the last fetch (retries, redirects)
    failures INTEGER NOT NULL DEFAULT 0,   -- failed fetches in a row
    doc_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    ingested_sha256 TEXT,            -- raw hash last handed to ingest; differs from sha256 → ingest pending
    ingest_error TEXT
)
"""

FRONTIER = """
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    kind TEXT NOT NULL,              -- list | article | attachment
    state TEXT NOT NULL,             -- queued | done | failed | skipped
    pass INTEGER NOT NULL,           -- runs.id of the run that last queued or saw the URL
    seq INTEGER NOT NULL,            -- queue order (breadth first)
    referrer TEXT,
    reason TEXT,                     -- why failed or skipped
    queued_at TEXT NOT NULL,
    done_at TEXT
)
"""

INDEXES = (
    "CREATE INDEX IF NOT EXISTS pages_site ON pages(site, kind)",
    "CREATE INDEX IF NOT EXISTS pages_doc ON pages(doc_id)",
    "CREATE INDEX IF NOT EXISTS frontier_queue ON frontier(pass, state, site, seq)",
    "CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state)",
    "CREATE INDEX IF NOT EXISTS frontier_seq ON frontier(seq)",
)


def migrate(db) -> None:
    """Schema step 3: ``pages`` and ``frontier`` (runs inside the store's migration transaction)."""
    db.execute(PAGES)
    db.execute(FRONTIER)
    for statement in INDEXES:
        db.execute(statement)


def ensure(db) -> None:
    """Create the tables where step 3 ran before it had any (idempotent, own transaction)."""
    # table_names(): sqlite-utils' and the PostgreSQL adapter's, so no catalog table is named here.
    if {"pages", "frontier"} <= set(db.table_names()):
        return
    with db.conn:
        migrate(db)
