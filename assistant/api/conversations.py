"""Saved conversations and feedback over HTTP. They live in the shared database, so a conversation started on one
replica is continued, read or rated on any other; each caller sees only its own."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .. import conversation
from ..answer import Answer
from ..engine import ChatSession, Engine
from ..storage import Conversations, Database, Feedback
from ..storage.records import ConversationRecord, NotFound
from . import errors, schema
from .access import CALLER_KEY, OPEN_CALLER, ROLE_KEY

READER = {ROLE_KEY: "reader"}

Checked = Callable[[Any, Any, Any], tuple[str, int | None, list[str] | None]]
AnswerOf = Callable[[ChatSession, str, int | None, list[str] | None, bool], Awaitable[Answer]]


def caller(request: Request) -> str:
    return getattr(request.state, CALLER_KEY, OPEN_CALLER)


def session_of(engine: Engine, record: ConversationRecord) -> ChatSession:
    """A session whose history is the saved turns (their standalone questions as they were made)."""
    session = engine.session()
    keep = engine.settings.history_turns
    for question, standalone, answer, quotes in (record.history()[-keep:] if keep else []):
        session.history.append(conversation.Turn(question, standalone or question, answer, quotes=quotes))
    return session


def add_routes(app: FastAPI, v1, engine: Engine, database: Database, *, checked: Checked,
               backend_for: Callable[[str | None], bool], answer_of: AnswerOf) -> None:
    chats, feedback = Conversations(database), Feedback(database)

    async def call(function, *args):
        try:
            return await run_in_threadpool(function, *args)
        except NotFound as exc:
            raise errors.ApiError(404, str(exc), "conversation_not_found", "conversation_id") from exc

    @v1("GET", "/conversations", openapi_extra=READER, summary="Your saved conversations, newest first")
    async def list_conversations(request: Request, search: str = "", deleted: bool = False) -> dict:
        rows = await call(chats.list, caller(request), search[:200], deleted)
        return {"object": "list", "data": [r.to_json(with_turns=False) for r in rows]}

    @v1("POST", "/conversations", status_code=201, openapi_extra=READER, summary="Start a saved conversation")
    async def create_conversation(request: Request, body: schema.ConversationIn) -> dict:
        return (await call(chats.create, caller(request), body.title)).to_json()

    @v1("GET", "/conversations/{conversation_id}", openapi_extra=READER,
        summary="One saved conversation with its turns (answers, citations, ratings)")
    async def get_conversation(request: Request, conversation_id: str) -> dict:
        return (await call(chats.get, caller(request), conversation_id)).to_json()

    @v1("PATCH", "/conversations/{conversation_id}", openapi_extra=READER, summary="Rename a conversation")
    async def rename_conversation(request: Request, conversation_id: str, body: schema.ConversationPatch) -> dict:
        await call(chats.rename, caller(request), conversation_id, body.title)
        return (await call(chats.get, caller(request), conversation_id)).to_json(with_turns=False)

    @v1("DELETE", "/conversations/{conversation_id}", openapi_extra=READER,
        summary="Delete a conversation (restorable: POST .../restore)")
    async def delete_conversation(request: Request, conversation_id: str) -> dict:
        await call(chats.delete, caller(request), conversation_id)
        return {"id": conversation_id, "deleted": True}

    @v1("POST", "/conversations/{conversation_id}/restore", openapi_extra=READER,
        summary="Undo the deletion of a conversation")
    async def restore_conversation(request: Request, conversation_id: str) -> dict:
        await call(chats.restore, caller(request), conversation_id)
        return (await call(chats.get, caller(request), conversation_id)).to_json(with_turns=False)

    @v1("POST", "/conversations/{conversation_id}/messages", status_code=201, openapi_extra=READER,
        summary="Ask in a saved conversation (follow-ups use its saved turns); the turn is saved")
    async def ask_in_conversation(request: Request, conversation_id: str, body: schema.MessageIn) -> dict:
        user = caller(request)
        record = await call(chats.get, user, conversation_id)
        extractive = await run_in_threadpool(backend_for, body.model)
        question, top_k, doc_ids = await run_in_threadpool(checked, body.question, body.top_k, body.doc_ids)
        answer = await answer_of(session_of(engine, record), question, top_k, doc_ids, extractive)
        turn = await call(chats.add_turn, user, conversation_id, answer.to_json())
        return {"conversation_id": conversation_id, "turn_id": turn.id, "position": turn.position,
                **answer.to_json()}

    @v1("POST", "/feedback", status_code=201, openapi_extra=READER,
        summary="Rate a saved answer: up or down, with a reason and a comment")
    async def add_feedback(request: Request, body: schema.FeedbackIn) -> JSONResponse:
        user = caller(request)
        record = await call(chats.get, user, body.conversation_id)
        turn = next((t for t in record.turns if t.id == body.turn_id), None)
        if turn is None:
            raise errors.ApiError(404, f"Conversation {body.conversation_id[:40]!r} has no turn {body.turn_id}.",
                                  "turn_not_found", "turn_id")
        entry = {"user_name": user, "conversation_id": record.id, "turn_id": turn.id, "rating": body.rating,
                 "reason": body.reason, "comment": body.comment, "question": turn.question,
                 "standalone_question": turn.standalone_question, "answer": turn.answer,
                 "abstained": turn.abstained, "citations": turn.answer_json.get("citations", []),
                 "backend": turn.backend, "model": turn.model}
        feedback_id = await run_in_threadpool(feedback.add, entry)
        return JSONResponse({"id": feedback_id, **{k: entry[k] for k in ("conversation_id", "turn_id", "rating",
                                                                         "reason", "comment")}}, status_code=201)
