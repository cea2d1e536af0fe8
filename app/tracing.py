"""Optional OpenTelemetry tracing: a span per request (FastAPI) and per SQL statement (asyncpg).

Off unless the standard OpenTelemetry variables ask for it: ``OTEL_TRACES_EXPORTER`` (otlp or
console) or an OTLP endpoint (``OTEL_EXPORTER_OTLP_ENDPOINT`` /
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``); ``OTEL_SDK_DISABLED=true`` or
``OTEL_TRACES_EXPORTER=none`` keep it off. Off, nothing is imported and nothing wraps a
request. The packages are the ``otel`` extra (in the image and in ``make run``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI

EXCLUDED_URLS = "healthz,readyz,metrics"  # probes and scrapes: noise, not traffic


class TracingUnavailable(RuntimeError):
    """The OTEL_* variables ask for something this installation cannot do."""


def tracing_requested(environ: Mapping[str, str]) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporters:
        return exporters != "none"
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


SUPPORTED_EXPORTERS = ("otlp", "console")


def exporter_names(environ: Mapping[str, str]) -> list[str]:
    names = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() or "otlp"
    return [n.strip() for n in names.split(",") if n.strip()]


def check_tracing(environ: Mapping[str, str]) -> None:
    """Raise TracingUnavailable when tracing is asked for and cannot be had (before serving)."""
    if not tracing_requested(environ):
        return
    for name in exporter_names(environ):
        if name not in SUPPORTED_EXPORTERS:
            raise TracingUnavailable(
                f"OTEL_TRACES_EXPORTER={name!r} is not supported (otlp, console or none)"
            )
    try:
        import opentelemetry.instrumentation.asyncpg
        import opentelemetry.instrumentation.fastapi
        import opentelemetry.sdk.trace  # noqa: F401
    except ImportError:
        raise TracingUnavailable(NOT_INSTALLED) from None


NOT_INSTALLED = (
    "OTEL_* variables ask for tracing, but OpenTelemetry is not installed "
    "(install the 'otel' extra: pip install 'charter[otel]')"
)


def instrument(
    app: FastAPI, *, exporter: Any = None, environ: Mapping[str, str] | None = None
) -> Callable[[], None]:
    """Trace ``app``'s requests and every asyncpg query; return what undoes the latter
    (asyncpg's instrumentation is process-wide). ``exporter`` (tests) replaces the ones
    ``OTEL_TRACES_EXPORTER`` names."""
    import os

    env = os.environ if environ is None else environ
    try:
        from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    except ImportError:
        raise TracingUnavailable(NOT_INSTALLED) from None
    service = env.get("OTEL_SERVICE_NAME") or "charter"
    resource = Resource.create({"service.name": service})
    configured = TracerProvider(resource=resource).sampler  # OTEL_TRACES_SAMPLER's, or default
    provider = TracerProvider(resource=resource, sampler=_requests_only(configured))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        for name in exporter_names(env):
            if name == "otlp":
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
                    OTLPSpanExporter,
                )

                provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            elif name == "console":
                from opentelemetry.sdk.trace.export import ConsoleSpanExporter

                provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
            else:
                raise TracingUnavailable(
                    f"OTEL_TRACES_EXPORTER={name!r} is not supported (otlp, console or none)"
                )
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=EXCLUDED_URLS,
        exclude_spans=["receive", "send"],  # a span per ASGI message is noise
    )
    asyncpg = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]
    if not asyncpg.is_instrumented_by_opentelemetry:
        asyncpg.instrument(tracer_provider=provider)
    app.state.tracer_provider = provider

    def undo() -> None:
        asyncpg.uninstrument()
        provider.shutdown()

    return undo


def _requests_only(delegate: Any) -> Any:
    """A sampler that drops SQL outside any request (the webhook worker polls every second,
    the event listener waits: a root span each would bury the requests' traces), and
    leaves every other decision to ``delegate``."""
    from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
    from opentelemetry.trace import SpanKind, get_current_span

    class RequestsOnly(Sampler):
        def should_sample(
            self,
            parent_context: Any,
            trace_id: int,
            name: str,
            kind: Any = None,
            attributes: Any = None,
            links: Any = None,
            trace_state: Any = None,
        ) -> Any:
            parent = get_current_span(parent_context).get_span_context()
            if kind is SpanKind.CLIENT and not parent.is_valid:
                return SamplingResult(Decision.DROP)
            return delegate.should_sample(
                parent_context, trace_id, name, kind, attributes, links, trace_state
            )

        def get_description(self) -> str:
            return f"RequestsOnly({delegate.get_description()})"

    return RequestsOnly()
