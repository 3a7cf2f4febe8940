"""`/api/v1/watchlists`: saved queries, their alerts and their Atom feeds."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from fastapi import APIRouter

router = APIRouter()
