"""The API's routes over one shared Engine: a thin shell that validates, queues, and reshapes the engine's answers."""
from __future__ import annotations

import json
import logging
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Query, UploadFile
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from .. import validation
from ..answer import Answer
from ..backends import ExtractiveBackend
from ..engine import Engine, QuestionError
from ..settings import Settings
from ..sources import manage
from ..sources.jobs import BackgroundIngest, JobStatus
from ..storage import Database
from . import conversations, errors, keys, schema
from .access import ROLE_KEY, Access
from .answers import Busy, GenerationGate, events, session_from
from .metrics import CONTENT_TYPE
from .metrics_api import ApiMetrics

logger = logging.getLogger(__name__)

EXTRACTIVE = "extractive"
DEFAULT_MODELS = ("", "default", "auto")
MAX_WAITING = 256  # answers waiting for a slot; more are refused with 503
UPLOAD_OVERHEAD = 64 * 1024  # multipart headers and boundaries around an upload's bytes
OWNER = "iskp-assistant"
READER = {ROLE_KEY: "reader"}
EDITOR = {ROLE_KEY: "editor"}


def create_app(engine: Engine, settings: Settings | None = None, *, open_access: bool = False,
               database: Database | None = None) -> FastAPI:
    """The API over engine. open_access: no keys needed (only sensible on a localhost binding). database: where
    conversations and feedback are saved (default: the settings' database)."""
    settings = settings or engine.settings
    gate = GenerationGate(settings.concurrency_limit, MAX_WAITING)
    metrics = ApiMetrics(lambda: gate.waiting, lambda: gate.running)
    engine.listeners.append(metrics.answer)
    ingest_job = BackgroundIngest(engine)
    started_at = int(time.time())
    error_responses: dict[int | str, dict[str, Any]] = {
        code: {"model": schema.ErrorOut} for code in (400, 401, 403, 404, 413, 422)}

    app = FastAPI(title="ISKP research assistant API", version="1",
                  description="OpenAI-compatible chat completions with verified citations, the engine's answers as "
                              "JSON, the corpus's documents, health and metrics. Authorization: Bearer <key>.",
                  docs_url="/docs", redoc_url=None)
    errors.install(app)
    app.add_middleware(Access, router=app.router, api_keys=keys.parse(settings.api_keys), open_access=open_access,
                       metrics=metrics)

    def v1(method: str, path: str, **options):
        """An API route under /v1: JSON errors documented, the request body capped."""
        options.setdefault("max_body_size", settings.api_max_request_kb * 1024)
        options["responses"] = {**error_responses, **options.get("responses", {})}
        return app.api_route(f"/v1{path}", methods=[method], **options)

    # ----- answering -----
    def backend_for(model: str | None) -> bool:
        """Whether the request asks for extractive answers (the engine's backend otherwise)."""
        name = (model or "").strip()
        if name in DEFAULT_MODELS or name in (engine.backend_name, engine.model_name):
            return engine.backend_name == EXTRACTIVE
        if name == EXTRACTIVE:
            return True
        ids = ", ".join(m.id for m in model_list().data)
        raise errors.ApiError(404, f"There is no model {name[:80]!r}; the models are: {ids}.", "model_not_found",
                              "model")

    def checked(question: Any, top_k: Any, doc_ids: Any) -> tuple[str, int | None, list[str] | None]:
        """validation.py's rules, before any answer starts (a stream cannot change its status once begun)."""
        try:
            return (engine.validate(question), validation.top_k(top_k),
                    validation.doc_ids(doc_ids, engine.index.docs))
        except QuestionError as exc:
            raise errors.ApiError(400, str(exc), "invalid_value") from exc

    def answering(extractive: bool) -> str:
        return EXTRACTIVE if extractive else engine.backend_name

    async def answer_of(session, question, top_k, doc_ids, extractive) -> Answer:
        async with slot(extractive) as waited:
            final = None
            async for event in events(lambda: session.ask_stream(question, top_k, doc_ids, extractive)):
                if event.kind == "final":
                    final = event.answer
            assert final is not None  # every engine stream ends with its final event
            final.timings_ms["queue_wait"] = waited * 1e3
            return final

    def slot(extractive: bool):
        return _slot(gate, answering(extractive), metrics)

    @v1("POST", "/chat/completions", response_model=schema.ChatCompletion, openapi_extra=READER,
             summary="Chat completion (OpenAI schema), plain or streamed (SSE), with verified citations",
             responses={200: {"content": {"text/event-stream": {}}}})
    async def chat_completions(request: schema.ChatCompletionRequest):
        extractive = await run_in_threadpool(backend_for, request.model)
        if request.n not in (None, 1):
            raise errors.ApiError(400, "Only n=1 is supported.", "unsupported_value", "n")
        turns: list[tuple[str, str]] = [(m.role, _text(m, i)) for i, m in enumerate(request.messages)
                                        if m.role in ("user", "assistant")]
        if not turns or turns[-1][0] != "user":
            raise errors.ApiError(400, "The last user or assistant message must be the user's question.",
                                  "invalid_messages", "messages")
        question, top_k, doc_ids = await run_in_threadpool(checked, turns[-1][1], request.top_k, request.doc_ids)
        session = await run_in_threadpool(session_from, engine, _pairs(turns[:-1]))
        completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if not request.stream:
            answer = await answer_of(session, question, top_k, doc_ids, extractive)
            return _completion(answer, completion_id, created)
        model = answering(extractive)
        return StreamingResponse(_sse(stream_chunks(session, question, top_k, doc_ids, extractive, completion_id,
                                                    created, model)),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    async def stream_chunks(session, question, top_k, doc_ids, extractive, completion_id, created,
                            model) -> AsyncIterator[dict]:
        def chunk(delta: dict, finish: str | None = None, **extra) -> dict:
            return {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}

        yield chunk({"role": "assistant", "content": ""})
        try:
            async with slot(extractive) as waited:
                async for event in events(lambda: session.ask_stream(question, top_k, doc_ids, extractive)):
                    if event.kind == "status":
                        yield chunk({}, status=event.text)
                    elif event.kind == "token":
                        yield chunk({}, draft=event.text)
                    elif event.kind == "final" and event.answer is not None:
                        answer = event.answer
                        answer.timings_ms["queue_wait"] = waited * 1e3
                        yield chunk({"content": answer.text})
                        yield chunk({}, "stop", **_extras(answer))
        except errors.ApiError as exc:
            yield errors.body(exc.status, exc.message, exc.code)
        except Exception as exc:  # the status line is sent: the error goes in the stream, as OpenAI's does
            logger.exception("streamed answer failed: %s: %s", type(exc).__name__, exc)
            yield errors.body(500, f"Something went wrong while answering ({type(exc).__name__}). "
                                   "Please try again.", "internal_error")

    @v1("POST", "/ask", openapi_extra=READER, summary="One question: the engine's answer as JSON (as `assistant ask "
                                                    "--json`)")
    async def ask(request: schema.AskRequest) -> dict:
        extractive = await run_in_threadpool(backend_for, request.model)
        question, top_k, doc_ids = await run_in_threadpool(checked, request.question, request.top_k, request.doc_ids)
        answer = await answer_of(engine.session(), question, top_k, doc_ids, extractive)
        return answer.to_json()

    def model_list() -> schema.ModelList:
        current = engine.backend_name
        data = [schema.ModelOut(id=current, created=started_at, owned_by=OWNER,
                                description=f"the server's backend: {engine.model_name}")]
        if current != EXTRACTIVE:
            data.append(schema.ModelOut(id=EXTRACTIVE, created=started_at, owned_by=OWNER,
                                        description=f"no LLM: {ExtractiveBackend.model}, the best-supported "
                                                    "sentences quoted and cited"))
        return schema.ModelList(data=data)

    @v1("GET", "/models", response_model=schema.ModelList, openapi_extra=READER, summary="The backends that answer")
    async def models():
        return await run_in_threadpool(model_list)

    conversations.add_routes(app, v1, engine, database or Database.for_settings(settings), checked=checked,
                             backend_for=backend_for, answer_of=answer_of)

    # ----- documents -----
    def document_list() -> schema.DocumentList:
        rows = manage.list_sources(settings, engine.ensure_index())
        return schema.DocumentList(data=rows)

    @v1("GET", "/documents", response_model=schema.DocumentList, openapi_extra=READER, summary="The corpus's documents")
    async def documents():
        return await run_in_threadpool(document_list)

    async def reindexed(wait: bool) -> schema.IngestOut:
        if not wait:
            ingest_job.start()
            return _ingest_out(ingest_job.status())
        report = await run_in_threadpool(engine.ingest)
        await run_in_threadpool(engine.ensure_index)
        return schema.IngestOut(running=False, phase="done", message=report.summary().splitlines()[0],
                                problems=[f"{s.path}: {s.reason}" for s in report.skipped])

    @v1("POST", "/documents", response_model=schema.DocumentsChanged, status_code=201, openapi_extra=EDITOR,
             max_body_size=int(settings.max_file_mb * 1024 * 1024) + UPLOAD_OVERHEAD,
             summary="Add documents (multipart 'file', repeatable: .pdf .docx .html .md .txt) and re-index")
    async def add_documents(file: Annotated[list[UploadFile], File(description="the document(s)")],
                            wait: Annotated[bool, Query(description="re-index before answering (false: in the "
                                                                    "background, see GET /v1/ingest)")] = True):
        added, problems = await run_in_threadpool(_store_uploads, settings, file)
        if not added:
            raise errors.ApiError(400, "Nothing was added: " + "; ".join(problems), "invalid_file", "file")
        ingest = await reindexed(wait)
        return JSONResponse(schema.DocumentsChanged(added=added, problems=problems, ingest=ingest).model_dump(),
                            status_code=201 if wait else 202)

    @v1("DELETE", "/documents/{doc_id}", response_model=schema.DocumentsChanged, openapi_extra=EDITOR,
               summary="Remove a document that was added (not the bundled collection) and re-index")
    async def remove_document(doc_id: str, wait: bool = True):
        try:
            await run_in_threadpool(manage.remove, settings, doc_id)
        except manage.SourceError as exc:
            known = doc_id in (await run_in_threadpool(lambda: engine.index.docs))
            status, code = (409, "not_removable") if known or "bundled" in str(exc) else (404, "document_not_found")
            raise errors.ApiError(status, str(exc), code, "doc_id") from exc
        ingest = await reindexed(wait)
        return JSONResponse(schema.DocumentsChanged(removed=[doc_id], ingest=ingest).model_dump(),
                            status_code=200 if wait else 202)

    @v1("GET", "/ingest", response_model=schema.IngestOut, openapi_extra=READER,
            summary="The background re-index started by a change with wait=false")
    async def ingest_status():
        return _ingest_out(ingest_job.status())

    # ----- operations -----
    @app.get("/health", summary="Liveness and the index's size (no key needed)")
    async def health():
        try:
            index = await run_in_threadpool(engine.ensure_index)
        except Exception as exc:
            return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, status_code=503)
        return {"status": "ok", "documents": len(index.docs), "queue_depth": gate.waiting,
                "answers_in_flight": gate.running}

    @app.get("/metrics", response_class=PlainTextResponse, openapi_extra=READER,
             summary="Prometheus text exposition format")
    async def prometheus():
        return PlainTextResponse(metrics.render(), media_type=CONTENT_TYPE)

    app.state.metrics, app.state.gate = metrics, gate
    return app


# ----- helpers -----
@asynccontextmanager
async def _slot(gate: GenerationGate, backend: str, metrics: ApiMetrics) -> AsyncIterator[float]:
    """A generation slot whose wait is recorded; a full queue answers 503."""
    try:
        async with gate.slot(backend) as waited:
            metrics.queue_wait(waited)
            yield waited
    except Busy as exc:
        raise errors.ApiError(503, str(exc), "server_busy") from exc


def _text(message: schema.ChatMessage, i: int) -> str:
    content = message.content
    if content is None or isinstance(content, str):
        return content or ""
    parts = []
    for part in content:
        if part.type != "text" or part.text is None:
            raise errors.ApiError(400, f"messages[{i}]: only text content is supported (got a {part.type!r} part).",
                                  "unsupported_content", f"messages.{i}.content")
        parts.append(part.text)
    return "\n".join(parts)


def _pairs(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(role, text) turns -> (question, answer) pairs; a question without an answer pairs with ""."""
    pairs: list[tuple[str, str]] = []
    for role, text in turns:
        if role == "user":
            pairs.append((text, ""))
        elif pairs and not pairs[-1][1]:
            pairs[-1] = (pairs[-1][0], text)
    return pairs


def _extras(answer: Answer) -> dict:
    return {"citations": [c.to_json() for c in answer.citations], "abstained": answer.abstained,
            "standalone_question": answer.standalone_question, "notices": list(answer.notices),
            "timings_ms": {k: round(v, 1) for k, v in answer.timings_ms.items()}}


def _completion(answer: Answer, completion_id: str, created: int) -> dict:
    return {"id": completion_id, "object": "chat.completion", "created": created, "model": answer.backend,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text},
                         "finish_reason": "stop"}], **_extras(answer)}


async def _sse(chunks: AsyncIterator[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def _ingest_out(status: JobStatus) -> schema.IngestOut:
    return schema.IngestOut(running=status.running, phase=status.phase, message=status.message,
                            problems=status.problems)


def _store_uploads(settings: Settings, files: list[UploadFile]) -> tuple[list[dict], list[str]]:
    """Each upload added to corpus/added/ (or refused by name, nothing kept); (entries added, problems)."""
    added, problems = [], []
    with tempfile.TemporaryDirectory(prefix="api-upload-") as tmp:
        for n, upload in enumerate(files, start=1):
            name = Path(upload.filename or "").name or f"upload-{n}"
            staged = Path(tmp) / f"{n}-{name}"
            with open(staged, "wb") as out:
                while block := upload.file.read(1 << 20):
                    out.write(block)
            try:
                added.append(manage.add_file(settings, staged, name=name))
            except manage.SourceError as exc:
                problems.append(str(exc))
    return added, problems
