"""Request and response bodies (OpenAI's chat schema, with this server's extensions) for FastAPI and /openapi.json.

Values the engine checks (question, top_k, doc_ids) are typed loosely here and checked by assistant/validation.py,
so that the API, the CLI and the web app refuse the same values with the same message."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from ..citations import Citation
from ..sources.manage import SourceRow
from ..validation import TOP_K_MAX, TOP_K_MIN

TOP_K_SCHEMA: JsonDict = {"type": "integer", "minimum": TOP_K_MIN, "maximum": TOP_K_MAX}
DOC_IDS_SCHEMA: JsonDict = {"type": "array", "items": {"type": "string"}}
TOP_K_HELP = f"passages to read, {TOP_K_MIN} to {TOP_K_MAX}; null: the server default"
DOC_IDS_HELP = "answer only from these documents (ids from GET /v1/documents); null or []: the whole corpus"


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None


class ChatCompletionRequest(BaseModel):
    """OpenAI's chat completion request. The last message is the question; earlier user and assistant messages are
    the conversation so far (a follow-up is made standalone first). System messages are ignored: the server has its
    own instructions. Sampling options (temperature, max_tokens, ...) are accepted and ignored."""
    model_config = ConfigDict(extra="allow")
    model: str | None = Field(None, description="an id from GET /v1/models; null: the server's backend")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    n: int | None = Field(None, description="only 1 is supported")
    top_k: Any = Field(None, description=TOP_K_HELP, json_schema_extra=TOP_K_SCHEMA)
    doc_ids: Any = Field(None, description=DOC_IDS_HELP, json_schema_extra=DOC_IDS_SCHEMA)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: Any = Field(description="the question", json_schema_extra={"type": "string"})
    top_k: Any = Field(None, description=TOP_K_HELP, json_schema_extra=TOP_K_SCHEMA)
    doc_ids: Any = Field(None, description=DOC_IDS_HELP, json_schema_extra=DOC_IDS_SCHEMA)
    model: str | None = Field(None, description="an id from GET /v1/models; null: the server's backend")


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(BaseModel):
    """OpenAI's chat completion, plus the answer's verified citations and how it was made."""
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    citations: list[Citation] = Field(description="verified: each quote is its document's text[start:end]")
    abstained: bool
    standalone_question: str
    notices: list[str]
    timings_ms: dict[str, float]


class ModelOut(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str
    description: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelOut]


class DocumentList(BaseModel):
    object: Literal["list"] = "list"
    data: list[SourceRow]


class IngestOut(BaseModel):
    running: bool
    phase: str
    message: str
    problems: list[str]


class DocumentsChanged(BaseModel):
    added: list[dict] = Field(default_factory=list, description="manifest entries of the documents added")
    removed: list[str] = Field(default_factory=list, description="ids of the documents removed")
    problems: list[str] = Field(default_factory=list, description="files refused, by name, with the reason")
    ingest: IngestOut


class ErrorDetail(BaseModel):
    message: str
    type: str
    code: str | None = None
    param: str | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class ConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field("", max_length=300, description="empty: named after its first question")


class ConversationPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)


class MessageIn(AskRequest):
    """A question in a saved conversation: earlier turns come from the database, so any replica can answer it."""


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conversation_id: str = Field(max_length=64)
    turn_id: int
    rating: Literal["up", "down"]
    reason: Literal["", "wrong", "unsupported", "incomplete", "other"] = ""
    comment: str = Field("", max_length=4000)
