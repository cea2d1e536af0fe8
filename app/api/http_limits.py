"""uvicorn protocols that answer 431 to a request head over 16 KiB (API.md "Hostile input").

uvicorn reads a request's headers whole before the app sees them (httptools sets no limit;
h11's ``h11_max_incomplete_event_size`` answers 400), so the limit lives in the protocol:
it counts the bytes of each request head as they arrive and, past the limit, answers 431
and closes the connection without reading the rest.
"""

from __future__ import annotations

import json
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEAD_BYTES = 16 * 1024
_END = b"\r\n\r\n"


def _response() -> bytes:
    body = json.dumps(
        {
            "type": "https://charter.dev/problems/request-header-fields-too-large",
            "title": "Request header fields too large",
            "status": 431,
            "detail": f"The request's headers exceed {MAX_HEAD_BYTES} bytes",
            "code": "request_header_fields_too_large",
        }
    ).encode()
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        "content-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\n"
        "x-content-type-options: nosniff\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


TOO_LARGE = _response()


class HeadLimit:
    """The per-connection count: bytes of the current request head seen so far."""

    transport: Any

    def _head_reset(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        self._tail = b""

    def _head_too_large(self, data: bytes) -> bool:
        """Count ``data`` if it belongs to a request head; True once over the limit."""
        if not getattr(self, "_in_head", True):
            return False
        if not hasattr(self, "_in_head"):
            self._head_reset()
        window = self._tail + data
        end = window.find(_END)
        if end >= 0:  # the head ends here: count up to its end only
            self._in_head = False
            return self._head_bytes + end - len(self._tail) + len(_END) > MAX_HEAD_BYTES
        self._head_bytes += len(data)
        self._tail = window[-3:]
        return self._head_bytes > MAX_HEAD_BYTES

    def _refuse(self) -> None:
        self._in_head = False
        self.transport.write(TOO_LARGE)
        self.transport.close()


class LimitedH11Protocol(HeadLimit, H11Protocol):
    def data_received(self, data: bytes) -> None:
        if self._head_too_large(data):
            self._refuse()
            return
        super().data_received(data)

    def on_response_complete(self) -> None:
        self._head_reset()  # the next request on this connection starts a new head
        super().on_response_complete()


def protocol(name: str) -> type[Any]:
    """The limited protocol class for ``auto``, ``httptools`` or ``h11``."""
    if name == "h11":
        return LimitedH11Protocol
    if name == "httptools" and PROTOCOL is LimitedH11Protocol:
        raise RuntimeError("httptools is not installed")
    return PROTOCOL


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class LimitedHttpToolsProtocol(HeadLimit, HttpToolsProtocol):
        def data_received(self, data: bytes) -> None:
            if self._head_too_large(data):
                self._refuse()
                return
            super().data_received(data)

        def on_response_complete(self) -> None:
            self._head_reset()
            super().on_response_complete()

    PROTOCOL: type[Any] = LimitedHttpToolsProtocol
except ImportError:  # httptools is optional for uvicorn: h11 then
    PROTOCOL = LimitedH11Protocol
