"""Reading what a store holds the way a user does: through its read models and records."""

from __future__ import annotations

from typing import Any

from rightsrecord.extract.contract import record
from rightsrecord.store.sql import SQLStore


def stored_records(store: SQLStore) -> list[dict[str, Any]]:
    """The record of every stored document (current version), oldest first."""
    out = []
    for doc_id in store.iter_documents():
        view = store.document(doc_id)
        assert view is not None
        out.append(record(view.document))
    return out


def only_record(store: SQLStore) -> dict[str, Any]:
    records = stored_records(store)
    assert len(records) == 1, f"expected one stored document, found {len(records)}"
    return records[0]
