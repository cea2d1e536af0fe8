"""REST: /webhooks — endpoints (admin), the event types, the delivery log and replay."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.api.container import Services
from app.api.rest.common import Caller, Svc, json_response
from app.api.rest.schemas import Read
from app.api.rest.schemas import Request as Body_
from app.domain.webhooks import service
from app.domain.webhooks.model import EVENT_TYPES, Delivery, Endpoint
from app.domain.webhooks.ports import WebhooksUnitOfWork

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])

Url = Annotated[str, Field(min_length=1, max_length=2000, examples=["https://example.com/hook"])]
Types = Annotated[
    list[Annotated[str, Field(max_length=100)]],
    Field(max_length=len(EVENT_TYPES), description="Event types; empty: every type"),
]


class EndpointCreate(Body_):
    url: Url
    event_types: Types = []


class EndpointUpdate(Body_):
    url: Url | None = None
    event_types: Types | None = None
    disabled: bool | None = None


class EndpointRead(Read):
    id: UUID
    url: str
    event_types: list[str]
    disabled: bool
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, e: Endpoint) -> EndpointRead:
        return cls.model_validate(e)


class EndpointCreated(EndpointRead):
    secret: str = Field(description="The signing secret (whsec_...): shown in this response only")


class EndpointList(BaseModel):
    items: list[EndpointRead]


class EventTypes(BaseModel):
    items: list[str]


class AttemptRead(Read):
    at: datetime
    status_code: int | None
    latency_ms: int
    error: str | None


class DeliveryRead(Read):
    id: UUID
    event_id: UUID
    event_type: str
    status: str
    attempts: list[AttemptRead]
    next_attempt_at: datetime | None


class DeliveryList(BaseModel):
    items: list[DeliveryRead]


def _uow(svc: Services) -> WebhooksUnitOfWork:
    assert svc.webhooks_uow is not None, "webhooks are wired in create_app"
    return svc.webhooks_uow()


def _delivery(d: Delivery) -> DeliveryRead:
    return DeliveryRead.model_validate(d)


@router.get("/event-types", response_model=EventTypes, summary="The event types to subscribe to")
async def event_types(caller: Caller) -> Response:
    return json_response(EventTypes(items=list(EVENT_TYPES)))


@router.get("/endpoints", response_model=EndpointList, summary="The organization's endpoints")
async def list_endpoints(caller: Caller, svc: Svc) -> Response:
    found = await service.list_endpoints(uow=_uow(svc), principal=caller)
    return json_response(EndpointList(items=[EndpointRead.of(e) for e in found]))


@router.post(
    "/endpoints",
    response_model=EndpointCreated,
    status_code=201,
    summary="Register an endpoint; the response carries its signing secret, once",
)
async def create_endpoint(body: EndpointCreate, caller: Caller, svc: Svc) -> Response:
    cmd = service.CreateEndpoint(body.url, body.event_types, svc.webhooks_may_be_private)
    made = await service.create_endpoint(cmd, uow=_uow(svc), principal=caller, clock=svc.clock)
    read = EndpointCreated.model_validate(
        {**EndpointRead.of(made).model_dump(), "secret": made.secret}
    )
    return json_response(read, 201, location=f"/api/v1/webhooks/endpoints/{made.id}")


@router.get("/endpoints/{endpoint_id}", response_model=EndpointRead, summary="One endpoint")
async def get_endpoint(endpoint_id: UUID, caller: Caller, svc: Svc) -> Response:
    found = await service.get_endpoint(endpoint_id, uow=_uow(svc), principal=caller)
    return json_response(EndpointRead.of(found))


@router.patch(
    "/endpoints/{endpoint_id}",
    response_model=EndpointRead,
    summary="Change the URL or event types; disabled: false re-enables it",
)
async def update_endpoint(
    endpoint_id: UUID, body: EndpointUpdate, caller: Caller, svc: Svc
) -> Response:
    changes = body.model_dump(exclude_unset=True)
    cmd = service.UpdateEndpoint(endpoint_id, changes, svc.webhooks_may_be_private)
    done = await service.update_endpoint(cmd, uow=_uow(svc), principal=caller, clock=svc.clock)
    return json_response(EndpointRead.of(done))


@router.delete("/endpoints/{endpoint_id}", status_code=204, summary="Delete an endpoint")
async def delete_endpoint(endpoint_id: UUID, caller: Caller, svc: Svc) -> Response:
    await service.delete_endpoint(endpoint_id, uow=_uow(svc), principal=caller)
    return Response(status_code=204)


@router.get(
    "/endpoints/{endpoint_id}/deliveries",
    response_model=DeliveryList,
    summary="The endpoint's deliveries, newest first, with every attempt",
)
async def deliveries(
    endpoint_id: UUID,
    caller: Caller,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    found = await service.list_deliveries(endpoint_id, limit, uow=_uow(svc), principal=caller)
    return json_response(DeliveryList(items=[_delivery(d) for d in found]))


@router.post(
    "/deliveries/{delivery_id}/replay",
    response_model=DeliveryRead,
    status_code=202,
    summary="Send the delivery's event again (same webhook-id)",
)
async def replay(delivery_id: UUID, caller: Caller, svc: Svc) -> Response:
    done = await service.replay_delivery(
        delivery_id, uow=_uow(svc), principal=caller, clock=svc.clock
    )
    return json_response(_delivery(done), 202)
