"""ASGI middleware over the API's routes: who may call (Bearer keys with roles) and what every request cost
(/metrics). The web app mounted beside the API is passed through untouched: it has its own login."""
from __future__ import annotations

import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.routing import Match, Router

from . import errors, keys
from .metrics_api import ApiMetrics

ROLE_KEY = "x-required-role"  # in a route's openapi_extra: the least role that may call it; absent: public
API_PREFIX = "/v1/"
UNKNOWN_ROUTE = "unknown"  # the route label of requests for an API path that does not exist
CALLER_KEY = "api_user"  # in request.state: who calls, the owner of the conversations it saves
OPEN_CALLER = "local"
OPEN_ROLE = "admin"  # without configured keys, on a localhost binding, a caller may do everything (as with the CLI)


class Access:
    """Answers 401/403 before the request body is read; counts every API request by route and status."""

    def __init__(self, app, *, router: Router, api_keys: dict[str, str], open_access: bool, metrics: ApiMetrics):
        self.app, self.router, self.keys, self.open, self.metrics = app, router, api_keys, open_access, metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        route, full = self._route(scope)
        unknown = route is None and scope.get("path", "").startswith(API_PREFIX)
        if route is None and not unknown:  # not an API route: the mounted web app
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]

        async def counted(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            needed = "reader" if unknown else (getattr(route, "openapi_extra", None) or {}).get(ROLE_KEY)
            refusal = self._refusal(scope, needed)
            if refusal is None and unknown:
                refusal = errors.response(404, f"There is no API endpoint {scope['path'][:120]!r}; "
                                               "see /openapi.json.")
            elif refusal is None and not full:  # answered here: the web app mounted at / would take it
                allowed = ", ".join(sorted(getattr(route, "methods", ())))
                refusal = errors.response(405, f"{scope.get('method')} is not allowed here; use {allowed}.",
                                          headers={"Allow": allowed})
            limit = getattr(route, "max_body_size", None)
            if refusal is None and limit is not None and _content_length(scope) > limit:
                refusal = _too_large(limit)
            if refusal is None:
                scope.setdefault("state", {})[CALLER_KEY] = self._caller(scope)
            if refusal is not None:
                await refusal(scope, receive, counted)
            else:
                await self.app(scope, _limited(receive, limit) if limit is not None else receive, counted)
        finally:
            self.metrics.request(UNKNOWN_ROUTE if route is None else route.path, scope.get("method", ""), status[0],
                                 time.perf_counter() - started)

    def _route(self, scope) -> tuple[Any, bool]:
        """(the API route for this request or None, whether its method matches too)."""
        partial = None
        for route in self.router.routes:
            if not hasattr(route, "methods"):
                continue  # a mount (the web app) or a websocket route
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return route, True
            if match == Match.PARTIAL and partial is None:
                partial = route  # right path, other method: answered 405
        return partial, False

    def _refusal(self, scope, needed: str | None):
        if needed is None:
            return None
        role = self._role(scope)
        if isinstance(role, tuple):
            message, code = role
            return errors.response(401, message, code, headers={"WWW-Authenticate": "Bearer"})
        if not keys.allows(role, needed):
            return errors.response(403, f"This needs the {needed} role or higher; your key's role is {role}.")
        return None

    def _caller(self, scope) -> str:
        if not self.keys:
            return OPEN_CALLER
        header = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        return keys.user_of(header.partition(" ")[2].strip()) if header else OPEN_CALLER

    def _role(self, scope) -> str | tuple[str, str]:
        """The caller's role, or (why not, error code)."""
        if not self.keys:
            if self.open:
                return OPEN_ROLE
            return ("No API keys are configured, and the API is open only when the server listens on localhost. "
                    "Set api_keys (ASSISTANT_API_KEYS='key:role').", "api_keys_not_configured")
        header = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
        scheme, _, presented = header.partition(" ")
        if not header:
            return "Missing API key: send it as 'Authorization: Bearer <key>'.", "missing_api_key"
        if scheme.lower() != "bearer" or not presented.strip():
            return "The Authorization header must be 'Bearer <key>'.", "invalid_authorization_header"
        role = keys.role_of(self.keys, presented.strip())
        if role is None:
            return "Invalid API key.", "invalid_api_key"
        return role


def _content_length(scope) -> int:
    value = dict(scope.get("headers", [])).get(b"content-length", b"0")
    return int(value) if value.isdigit() else 0


def _too_large(limit: int):
    return errors.response(413, f"The request body is larger than this endpoint takes ({_size(limit)}).")


def _size(limit: int) -> str:
    return f"{limit / 1024 / 1024:.1f} MB" if limit >= 1024 * 1024 else f"{limit / 1024:.0f} KB"


def _limited(receive, limit: int):
    """receive() that stops a body sent without (or past) its Content-Length once it exceeds the limit."""
    seen = 0

    async def counted():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, f"The request body is larger than this endpoint takes ({_size(limit)}).")
        return message

    return counted
