"""What every `/api/v1` route shares: the error body and the errors each route documents,
routes that answer HEAD as GET, and the query parameters with their vocabularies, so the
schema says which values a filter takes and the services refuse the rest (422)."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from ...read import vocab
from ...read.services import MAX_ID
from ..deps import MAX_PAGE

PREFIX = "/api/v1"
PAGE_SIZE = 50  # a list's default `limit`, as the services and the CLI have it
DOCUMENT_KINDS = ("html", "text", "feed", "pdf", "listing")
ACTOR_TYPES = ("person", "organisation")


class ErrorBody(BaseModel):
    """Why a request was not answered."""

    model_config = ConfigDict(extra="forbid")
    error: str = Field(description="What went wrong, in words.")


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such thing (an id that is not a number "
          "names nothing either)."}}
INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "A request that cannot be answered as asked: a "
          "filter outside its vocabulary, a bad parameter or a cursor this API did not make."}}


def reads(router: APIRouter, path: str, response_model: Any, *, summary: str,
          responses: dict[int | str, dict[str, Any]] | None = None
          ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a GET route and its HEAD twin (the same answer without the body); only the
    GET is in the schema."""

    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path, endpoint, methods=["GET"], response_model=response_model,
                             summary=summary, responses=responses)
        router.add_api_route(path, endpoint, methods=["HEAD"], response_model=response_model,
                             name=f"{endpoint.__name__}_head", include_in_schema=False)
        return endpoint

    return register


# -- query parameters -----------------------------------------------------------------------

Cursor = Annotated[str | None, Query(
    description="The next page: the `next_cursor` of the page before (opaque). One this API "
    "did not make is refused (422).")]
PageLimit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Entries per page.")]
Country = Annotated[str | None, Query(
    pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. KZ.")]
Year = Annotated[int | None, Query(
    ge=vocab.FIRST_YEAR, le=vocab.last_year(),
    description="Only what happened (as a source states) in this year.")]
Since = Annotated[str | None, Query(
    pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$",
    description="A day (YYYY-MM-DD) or a UTC time (ISO 8601): only what entered the record "
    "since then.")]
Theme = Annotated[str | None, Query(
    description="A theme's code (see a country's `themes`).",
    json_schema_extra={"enum": sorted(vocab.themes())})]
EventType = Annotated[str | None, Query(
    description="An event type, e.g. conviction-sentence.",
    json_schema_extra={"enum": list(vocab.event_types())})]
ActorId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="An actor's id.")]
IsoDate = Annotated[str | None, Query(
    pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD.")]
