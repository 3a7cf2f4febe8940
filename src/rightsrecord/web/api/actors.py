"""`/api/v1/actors`: the people and organisations the texts name, and each one's case."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from typing import Annotated

from fastapi import APIRouter, Query

from ...read import services
from ...read.models import ActorDetail, ActorSummary, Paged
from ..deps import ScopeDep, StoreDep
from .common import ACTOR_TYPES, INVALID, NOT_FOUND, PAGE_SIZE, Cursor, PageLimit, reads

router = APIRouter(prefix="/actors", tags=["actors"])

Type = Annotated[str | None, Query(alias="type", description="Person or organisation.",
                                   json_schema_extra={"enum": list(ACTOR_TYPES)})]


@reads(router, "", Paged[ActorSummary], summary="Actors, most mentioned first.",
       responses=INVALID)
def list_actors(store: StoreDep, scope: ScopeDep, actor_type: Type = None,
                cursor: Cursor = None, limit: PageLimit = PAGE_SIZE) -> Paged[ActorSummary]:
    return services.actors(store, actor_type=actor_type, limit=limit, cursor=cursor,
                           scope=scope)


@reads(router, "/{actor_id}", ActorDetail, summary="A person or organisation across "
       "documents: spellings, roles, documents and their case.", responses=NOT_FOUND)
def get_actor(actor_id: str, store: StoreDep, scope: ScopeDep) -> ActorDetail:
    return services.actor(store, actor_id, scope)
