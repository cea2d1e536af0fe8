"""The WebSocket side of ``/graphql``: the token from ``connection_init``, idle connections closed.

graphql-transport-ws (strawberry's handler) does the protocol: a ``connection_init``
within 10 s (else 4408), at most ``max_subscriptions_per_connection`` operations at
once. Here: the payload's ``authorization`` (``Bearer <jwt>``) is checked as a REST
request's header would be; a missing, bad or expired token, or one without a reading
role, closes the connection: 4401 for no, a bad or an expired token, 4403 for a role
that may not read (a subscribe before an accepted init closes with 4401 too). A connection that has had no subscription for
``idle_seconds`` is closed with 4408, so abandoned sockets do not pile up. The token is
checked again every few seconds (``min(idle_seconds / 4, 5)``) while the connection is
open: when it expires (or its signing key leaves the key set) the connection is closed
with 4401, so a subscription never outlives the token that opened it by more than that.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from typing import Any

from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types.unset import UNSET, UnsetType

from app.api.graphql.common import tag_error
from app.api.graphql.context import Context
from app.api.middleware import REQUEST_ID
from app.domain.common.errors import DomainError, PermissionDenied
from app.domain.common.principal import Role

IDLE_CLOSE_CODE = 4408


class _Closing:
    """The handler's socket, closing a rejected init with 4401 when the token was the problem.

    (strawberry closes every rejection with 4403; the protocol's 4401 says "authenticate".)
    """

    def __init__(self, websocket: Any, context: Context) -> None:
        self._websocket = websocket
        self._context = context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._websocket, name)

    async def close(self, code: int, reason: str) -> None:
        if code == 4403 and getattr(self._context, "unauthenticated", False):
            code, reason = 4401, "Unauthorized"
        await self._websocket.close(code, reason)


class IdleClosingHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """strawberry's graphql-transport-ws handler, closing a connection idle too long.

    Its errors carry ``extensions.code`` and ``extensions.requestId`` as over HTTP: the
    connection's id, from the upgrade request's ``X-Request-ID`` or made for it.
    """

    _watchdog: asyncio.Task[None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.websocket = _Closing(self.websocket, self.context)  # type: ignore[assignment]
        incoming = self.context.http_request.headers.get("x-request-id")
        valid = incoming is not None and REQUEST_ID.match(incoming)
        self.request_id = incoming if valid and incoming else uuid.uuid4().hex

    async def send_message(self, message: Any) -> None:
        payload = message.get("payload") if isinstance(message, dict) else None
        if message.get("type") == "error" and isinstance(payload, list):
            errors = payload
        elif message.get("type") == "next" and isinstance(payload, dict):
            errors = payload.get("errors") or []
        else:
            errors = []
        for error in errors:
            if isinstance(error, dict):
                if error.get("message") == "Subscription limit reached":
                    error.setdefault("extensions", {"code": "TOO_MANY_SUBSCRIPTIONS"})
                tag_error(error, self.request_id)
        await super().send_message(message)

    def on_request_accepted(self) -> None:
        super().on_request_accepted()
        self._watchdog = asyncio.create_task(self._close_when_idle())

    async def _close_when_idle(self) -> None:
        idle = float(getattr(self.view, "idle_seconds", 60.0))
        busy_at = time.monotonic()
        while True:
            await asyncio.sleep(min(idle / 4, 5.0))
            if not await self._still_authenticated():
                with contextlib.suppress(Exception):
                    await self.websocket.close(code=4401, reason="Unauthorized")
                return
            if self.operations:
                busy_at = time.monotonic()
            elif time.monotonic() - busy_at >= idle:
                with contextlib.suppress(Exception):
                    await self.websocket.close(code=IDLE_CLOSE_CODE, reason="Idle")
                return

    async def _still_authenticated(self) -> bool:
        """The init's token, checked again as a request's would be (the verified-token cache
        answers within its 60 s, then the signature, exp and the key set are checked anew):
        a token that expires or whose key is withdrawn ends the connection with 4401."""
        header = getattr(self.context, "ws_authorization", None)
        if header is None:
            return True  # not initialised yet: the init itself is checked
        try:
            await self.context.services.authenticator.authenticate(header)
        except DomainError:
            return False
        return True

    async def shutdown(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        await super().shutdown()


class LiveConnections:
    """Mixed into the ``/graphql`` endpoint: the WebSocket hooks."""

    graphql_transport_ws_handler_class: Any = IdleClosingHandler
    idle_seconds: float = 60.0

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("authorization") or params.get("Authorization")
        try:
            principal = await context.services.authenticator.authenticate(
                header if isinstance(header, str) else None
            )
        except DomainError as exc:
            context.unauthenticated = True
            raise ConnectionRejectionError({"message": str(exc)}) from None
        try:
            principal.require(Role.VIEWER)
        except PermissionDenied as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from None
        context._principal = principal
        context.ws_authorization = header if isinstance(header, str) else None
        unset: UnsetType = UNSET
        return unset
