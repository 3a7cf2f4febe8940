"""`/api/v1/documents`: the stored documents, newest first, and each one at any version."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from typing import Annotated

from fastapi import APIRouter, Query

from ...read import services
from ...read.models import DocumentDetail, DocumentSummary, Paged
from ...read.services import MAX_ID
from ..deps import ScopeDep, StoreDep
from .common import (
    DOCUMENT_KINDS,
    INVALID,
    NOT_FOUND,
    PAGE_SIZE,
    Country,
    Cursor,
    PageLimit,
    Year,
    reads,
)

router = APIRouter(prefix="/documents", tags=["documents"])

Kind = Annotated[str | None, Query(description="The kind of text.",
                                   json_schema_extra={"enum": list(DOCUMENT_KINDS)})]
Version = Annotated[int | None, Query(ge=1, le=MAX_ID, description="A stored version; the "
                                      "current one when absent.")]


@reads(router, "", Paged[DocumentSummary], summary="Stored documents, newest first.",
       responses=INVALID)
def list_documents(store: StoreDep, scope: ScopeDep, country: Country = None,
                   kind: Kind = None, year: Year = None, cursor: Cursor = None,
                   limit: PageLimit = PAGE_SIZE) -> Paged[DocumentSummary]:
    return services.documents(store, country=country, kind=kind, year=year, limit=limit,
                              cursor=cursor, scope=scope)


@reads(router, "/{document_id}", DocumentDetail, summary="A document at its current version "
       "(or `version`): its text, what was read from it, and the full extract record.",
       responses={**NOT_FOUND, **INVALID})
def get_document(document_id: str, store: StoreDep, scope: ScopeDep,
                 version: Version = None) -> DocumentDetail:
    return services.document(store, document_id, version, scope)
