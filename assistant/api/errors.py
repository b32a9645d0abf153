"""Every API error in OpenAI's shape: {"error": {"message", "type", "code", "param"}}."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "not_found_error",
         405: "invalid_request_error", 409: "conflict_error", 413: "request_too_large",
         415: "invalid_request_error", 422: "invalid_request_error", 503: "service_unavailable"}
CODES = {401: "invalid_api_key", 403: "insufficient_role", 404: "not_found", 405: "method_not_allowed",
         413: "request_too_large", 415: "unsupported_media_type"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, param: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.param, self.headers = status, message, code, param, headers


def body(status: int, message: str, code: str | None = None, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": TYPES.get(status, "server_error" if status >= 500
                                                               else "invalid_request_error"),
                      "code": code or CODES.get(status), "param": param}}


def response(status: int, message: str, code: str | None = None, param: str | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body(status, message, code, param), status_code=status, headers=headers)


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return response(exc.status, exc.message, exc.code, exc.param, exc.headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"There is no API endpoint {request.url.path[:120]!r}; see /openapi.json."
    return response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return response(400, "The request body is not valid JSON.", "invalid_json")
    shown = [f"{_field(e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    param = _field(errors[0].get("loc", ())) if errors else None
    return response(422, "Invalid request: " + "; ".join(shown) + more, "invalid_schema", param)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    return response(500, f"Something went wrong on the server ({type(exc).__name__}). Please try again.",
                    "internal_error")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
