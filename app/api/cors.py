"""CORS for browser frontends on other origins (``CHARTER_CORS_ORIGINS``; none by default).

Starlette's CORSMiddleware does the work; this names what a cross-origin caller may send
and read. No credentials: callers send a bearer token, not cookies.
"""

from __future__ import annotations

CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
# What a frontend sends beyond the CORS-safelisted headers.
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
]
# Response headers a browser script may read (beyond the safelisted ones).
CORS_EXPOSED_HEADERS = ["ETag", "Location", "X-Request-ID", "Idempotent-Replayed", "Retry-After"]
