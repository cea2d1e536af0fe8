"""REST: /activity — the organization's events, oldest first by ``seq`` (sync and resumption)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.api.rest.common import Caller, Svc, json_response
from app.api.rest.schemas import Changes, Read
from app.domain.events import service


class SubjectRead(BaseModel):
    type: str
    id: UUID


class EventRead(Read):
    id: UUID
    seq: int
    type: str
    occurred_at: datetime
    org: str
    project_id: UUID
    actor: str
    subject: SubjectRead
    changes: Changes


class EventPage(Read):
    items: list[EventRead]
    next_after_seq: int = Field(
        description="The seq to pass as after_seq next (the last item's, or after_seq)"
    )


router = APIRouter(prefix="/api/v1", tags=["events"])


@router.get(
    "/activity",
    response_model=EventPage,
    summary="The organization's changes, oldest first by seq, after after_seq",
)
async def activity(
    caller: Caller,
    svc: Svc,
    after_seq: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    events = await service.list_events(after_seq, limit, uow=svc.uow(), principal=caller)
    items = [service.document(e) for e in events]
    last = events[-1].seq if events else after_seq
    return json_response(EventPage.model_validate({"items": items, "next_after_seq": last}))
