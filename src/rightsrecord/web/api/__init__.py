"""The JSON API: `/api/v1`, one router per resource, each returning the read services' typed
models; and its description and docs (`docs`)."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from fastapi import APIRouter

from ...read import services
from ...read.models import Overview
from ..deps import ScopeDep, StoreDep
from . import actors, countries, docs, documents, events, search, watchlists
from .common import PREFIX, reads
from .docs import DOCS_CSP, DOCS_URL, OPENAPI_URL, openapi_schema

__all__ = ["DOCS_CSP", "DOCS_URL", "OPENAPI_URL", "openapi_schema", "router"]

v1 = APIRouter(prefix=PREFIX)


@reads(v1, "", Overview, summary="What the record holds: counts, countries and the newest "
       "documents.")
def overview(store: StoreDep, scope: ScopeDep) -> Overview:
    return services.overview(store, scope)


for resource in (countries, documents, events, actors, search, watchlists):
    v1.include_router(resource.router)

router = APIRouter()
router.include_router(v1)
router.include_router(docs.router)
