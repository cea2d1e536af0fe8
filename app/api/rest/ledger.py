"""REST: /projects/{id}/ledger and /earned-value — the budget ledger and earned value."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.api.rest.common import Caller, IdempotencyKey, Svc, create, json_response
from app.api.rest.ledger_schemas import (
    EarnedValueRead,
    EntryCreate,
    EntryRead,
    ReversalCreate,
    SummaryRead,
)
from app.api.rest.schemas import Day, Page
from app.domain.common.paging import page_request
from app.domain.ledger import service
from app.domain.ledger.model import Category, EntryKind, LedgerEntry
from app.domain.ledger.ports import EntryFilter

router = APIRouter(prefix="/api/v1/projects/{project_id}", tags=["ledger"])


def _render(e: LedgerEntry) -> tuple[EntryRead, str, None]:
    return EntryRead.of(e), f"/api/v1/projects/{e.project_id}/ledger/entries/{e.id}", None


@router.post(
    "/ledger/entries",
    status_code=201,
    response_model=EntryRead,
    summary="Post a ledger entry (422 ledger_negative_total when a kind's total would go negative)",
)
async def post_entry(
    project_id: UUID,
    body: EntryCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.PostEntry(project_id=project_id, **body.model_dump())
    run = lambda uow: service.post_entry(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get(
    "/ledger/entries", response_model=Page[EntryRead], summary="List ledger entries, newest first"
)
async def list_entries(
    project_id: UUID,
    caller: Caller,
    svc: Svc,
    kind: EntryKind | None = None,
    category: Category | None = None,
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> Response:
    flt = EntryFilter(kind, category, from_, to)
    page = await service.list_entries(
        project_id, flt, page_request(limit, cursor), uow=svc.uow(), principal=caller
    )
    items = [EntryRead.of(e) for e in page.items]
    return json_response(Page[EntryRead](items=items, next_cursor=page.next_cursor))


@router.get("/ledger/entries/{entry_id}", response_model=EntryRead, summary="Get a ledger entry")
async def get_entry(project_id: UUID, entry_id: UUID, caller: Caller, svc: Svc) -> Response:
    entry = await service.get_entry(project_id, entry_id, uow=svc.uow(), principal=caller)
    return json_response(EntryRead.of(entry))


@router.post(
    "/ledger/entries/{entry_id}/reversal",
    status_code=201,
    response_model=EntryRead,
    summary="Reverse an entry: post its negation, linked to it (409 already_reversed)",
)
async def reverse_entry(
    project_id: UUID,
    entry_id: UUID,
    body: ReversalCreate,
    caller: Caller,
    svc: Svc,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    cmd = service.ReverseEntry(project_id, entry_id, body.reason)
    run = lambda uow: service.reverse_entry(cmd, uow=uow, principal=caller, clock=svc.clock)  # noqa: E731
    return await create(svc, caller, idempotency_key, cmd, run, _render)


@router.get(
    "/ledger/summary",
    response_model=SummaryRead,
    summary="Budget, open commitments, actual, remaining, burn rate, by category and month",
)
async def ledger_summary(
    project_id: UUID, caller: Caller, svc: Svc, as_of: Day | None = None
) -> Response:
    found = await service.ledger_summary(
        project_id, as_of, uow=svc.uow(), principal=caller, clock=svc.clock
    )
    return json_response(SummaryRead.of(found))


@router.get(
    "/earned-value",
    response_model=EarnedValueRead,
    summary="Earned value and earned schedule as of the end of a date (default today)",
)
async def earned_value(
    project_id: UUID, caller: Caller, svc: Svc, as_of: Day | None = None
) -> Response:
    found = await service.project_earned_value(
        project_id, as_of, uow=svc.uow(), principal=caller, clock=svc.clock
    )
    return json_response(EarnedValueRead.of(found))
