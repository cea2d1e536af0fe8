"""Operational endpoints outside /api/v1 and without auth: health, readiness, metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from app.api.container import Services

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive (never touches the database)")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", summary="The database is reachable and migrations are current")
async def readyz(request: Request) -> JSONResponse:
    try:
        svc: Services = request.app.state.services
        ready = await svc.readiness()
    except Exception:
        ready = False
    if ready:
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable"}, status_code=503, headers={"Retry-After": "5"})


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(request: Request) -> Response:
    body, media_type = request.app.state.metrics.exposition()
    return Response(body, media_type=media_type)
