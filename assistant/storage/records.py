"""Reading and writing what users keep: conversations (per user, soft-deleted so a delete can be undone), their
turns, feedback on answers, and server-wide settings every replica reads."""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from ..feedback import RATINGS, REASONS
from . import database as db
from .database import Database

TITLE_CHARS = 300
UNDO_SECONDS = 30 * 24 * 3600  # a deleted conversation can be restored for this long, then it is purged


class NotFound(LookupError):
    """No such conversation for this user (or it was deleted)."""


@dataclass
class TurnRecord:
    id: int
    position: int
    question: str
    standalone_question: str
    answer: str
    abstained: bool
    backend: str
    model: str
    created_at: float
    answer_json: dict = field(default_factory=dict)
    rating: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def quotes(self) -> tuple[str, ...]:
        """The quotes its answer cited."""
        return tuple(c.get("quote", "") for c in self.answer_json.get("citations", []))


@dataclass
class ConversationRecord:
    id: str
    user: str
    title: str
    created_at: float
    updated_at: float
    deleted_at: float | None = None
    turns: list[TurnRecord] = field(default_factory=list)

    def to_json(self, with_turns: bool = True) -> dict[str, Any]:
        out = {"id": self.id, "user": self.user, "title": self.title, "created_at": self.created_at,
               "updated_at": self.updated_at, "deleted": self.deleted_at is not None}
        if with_turns:
            out["turns"] = [t.to_json() for t in self.turns]
        return out

    def history(self) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """(question, standalone question, answer, the quotes it cited) of each turn, oldest first."""
        return [(t.question, t.standalone_question, t.answer, t.quotes()) for t in self.turns]


def title_from(question: str) -> str:
    words = " ".join(question.split())
    return words if len(words) <= 60 else words[:57].rsplit(" ", 1)[0] + "..."


class Conversations:
    """One user's saved conversations; every method takes the user, so nobody reads another's chats."""

    def __init__(self, database: Database):
        self.engine = database.engine

    def create(self, user: str, title: str = "") -> ConversationRecord:
        now = time.time()
        record = ConversationRecord(uuid.uuid4().hex, user, _title(title), now, now)
        with self.engine.begin() as conn:
            conn.execute(db.conversations.insert().values(
                id=record.id, user_name=user, title=record.title, created_at=now, updated_at=now))
        return record

    def list(self, user: str, search: str = "", deleted: bool = False, limit: int = 200) -> list[ConversationRecord]:
        """Newest first; search matches the title or any question or answer (case-insensitive)."""
        c, t = db.conversations, db.turns
        query = sa.select(c).where(c.c.user_name == user)
        query = query.where(c.c.deleted_at.is_not(None) if deleted else c.c.deleted_at.is_(None))
        if search.strip():
            pattern = f"%{_escape_like(search.strip().lower())}%"
            in_turns = sa.select(t.c.conversation_id).where(sa.or_(
                sa.func.lower(t.c.question).like(pattern, escape="\\"),
                sa.func.lower(t.c.answer).like(pattern, escape="\\")))
            query = query.where(sa.or_(sa.func.lower(c.c.title).like(pattern, escape="\\"), c.c.id.in_(in_turns)))
        query = query.order_by(c.c.updated_at.desc(), c.c.id).limit(limit)
        with self.engine.connect() as conn:
            return [_conversation(row) for row in conn.execute(query)]

    def get(self, user: str, conversation_id: str) -> ConversationRecord:
        c, t, f = db.conversations, db.turns, db.feedback
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(c).where(c.c.id == conversation_id, c.c.user_name == user,
                                                  c.c.deleted_at.is_(None))).first()
            if row is None:
                raise NotFound(f"There is no conversation {conversation_id[:40]!r}.")
            record = _conversation(row)
            ratings = {r.turn_id: r.rating for r in conn.execute(
                sa.select(f.c.turn_id, f.c.rating).where(f.c.conversation_id == conversation_id).order_by(f.c.id))}
            for turn in conn.execute(sa.select(t).where(t.c.conversation_id == conversation_id)
                                     .order_by(t.c.position)):
                record.turns.append(TurnRecord(
                    turn.id, turn.position, turn.question, turn.standalone_question, turn.answer, turn.abstained,
                    turn.backend, turn.model, turn.created_at, json.loads(turn.answer_json or "{}"),
                    ratings.get(turn.id, "")))
        return record

    def add_turn(self, user: str, conversation_id: str, answer_json: dict[str, Any]) -> TurnRecord:
        """Appends an answered turn (the engine's Answer.to_json()); the first one names an untitled chat."""
        c, t = db.conversations, db.turns
        now = time.time()
        with self.engine.begin() as conn:
            row = conn.execute(sa.select(c.c.title).where(c.c.id == conversation_id, c.c.user_name == user,
                                                          c.c.deleted_at.is_(None)).with_for_update()).first()
            if row is None:
                raise NotFound(f"There is no conversation {conversation_id[:40]!r}.")
            position = conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.c.position), 0))
                                    .where(t.c.conversation_id == conversation_id)).scalar_one() + 1
            values = dict(conversation_id=conversation_id, position=position,
                          question=str(answer_json.get("question", "")),
                          standalone_question=str(answer_json.get("standalone_question", "")),
                          answer=str(answer_json.get("answer", answer_json.get("text", ""))),
                          abstained=bool(answer_json.get("abstained", False)),
                          answer_json=json.dumps(answer_json, ensure_ascii=False),
                          backend=str(answer_json.get("backend", "")), model=str(answer_json.get("model", "")),
                          created_at=now)
            turn_id = _inserted_id(conn.execute(t.insert().values(**values)))
            update: dict[str, Any] = {"updated_at": now}
            if not row.title:
                update["title"] = title_from(values["question"])
            conn.execute(c.update().where(c.c.id == conversation_id).values(**update))
        return TurnRecord(turn_id, position, values["question"], values["standalone_question"], values["answer"],
                          values["abstained"], values["backend"], values["model"], now, answer_json)

    def rename(self, user: str, conversation_id: str, title: str) -> None:
        self._update(user, conversation_id, title=_title(title), updated_at=time.time())

    def delete(self, user: str, conversation_id: str) -> None:
        """Hidden at once, restorable with restore() until purged."""
        self._update(user, conversation_id, deleted_at=time.time())

    def restore(self, user: str, conversation_id: str) -> None:
        c = db.conversations
        with self.engine.begin() as conn:
            done = conn.execute(c.update().where(c.c.id == conversation_id, c.c.user_name == user,
                                                 c.c.deleted_at.is_not(None)).values(deleted_at=None)).rowcount
        if not done:
            raise NotFound(f"There is no deleted conversation {conversation_id[:40]!r} to restore.")

    def purge(self, older_than_s: float = UNDO_SECONDS) -> int:
        c = db.conversations
        with self.engine.begin() as conn:
            return conn.execute(c.delete().where(c.c.deleted_at.is_not(None),
                                                 c.c.deleted_at < time.time() - older_than_s)).rowcount

    def _update(self, user: str, conversation_id: str, **values) -> None:
        c = db.conversations
        with self.engine.begin() as conn:
            done = conn.execute(c.update().where(c.c.id == conversation_id, c.c.user_name == user,
                                                 c.c.deleted_at.is_(None)).values(**values)).rowcount
        if not done:
            raise NotFound(f"There is no conversation {conversation_id[:40]!r}.")


class Feedback:
    """Thumbs up/down on answers, with a reason and a comment, by user, conversation, backend and model."""

    def __init__(self, database: Database):
        self.engine = database.engine

    def add(self, entry: dict[str, Any]) -> int:
        rating, reason = entry.get("rating"), entry.get("reason", "") or ""
        if rating not in RATINGS:
            raise ValueError("rating must be 'up' or 'down'")
        if reason and reason not in REASONS:
            raise ValueError(f"reason must be one of {', '.join(REASONS)} (or empty)")
        values = {name: entry.get(name) for name in ("user_name", "session_id", "conversation_id", "turn_id",
                                                     "comment", "question", "standalone_question", "answer",
                                                     "backend", "model") if entry.get(name) is not None}
        values.update(rating=rating, reason=reason, created_at=float(entry.get("created_at") or time.time()),
                      abstained=bool(entry.get("abstained", False)),
                      citations_json=json.dumps(entry.get("citations", []), ensure_ascii=False))
        with self.engine.begin() as conn:
            return _inserted_id(conn.execute(db.feedback.insert().values(**values)))

    def all(self) -> list[dict[str, Any]]:
        """Every entry, oldest first, in the JSONL shape `assistant eval import-feedback` reads."""
        f = db.feedback
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(f).order_by(f.c.id)).mappings().all()
        return [{"ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r["created_at"])),
                 "user": r["user_name"], "session_id": r["session_id"], "conversation_id": r["conversation_id"],
                 "turn_id": r["turn_id"], "rating": r["rating"], "reason": r["reason"], "comment": r["comment"],
                 "question": r["question"], "standalone_question": r["standalone_question"], "answer": r["answer"],
                 "abstained": r["abstained"], "citations": json.loads(r["citations_json"] or "[]"),
                 "backend": r["backend"], "model": r["model"]} for r in rows]


class SharedSettings:
    """Server-wide settings changed at run time (the backend an admin picks), read by every replica and page."""

    def __init__(self, database: Database):
        self.engine = database.engine

    def get(self, name: str) -> tuple[str, float, str] | None:
        """(value, updated_at, updated_by) or None when never set."""
        s = db.shared_settings
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(s.c.value, s.c.updated_at, s.c.updated_by).where(s.c.name == name)).first()
        return None if row is None else (row.value, row.updated_at, row.updated_by)

    def set(self, name: str, value: str, by: str = "") -> None:
        s = db.shared_settings
        now = time.time()
        with self.engine.begin() as conn:
            changed = conn.execute(s.update().where(s.c.name == name)
                                   .values(value=value, updated_at=now, updated_by=by)).rowcount
            if not changed:
                conn.execute(s.insert().values(name=name, value=value, updated_at=now, updated_by=by))


class QuizScores:
    """Each user's quiz answers and their running score."""

    def __init__(self, database: Database):
        self.engine = database.engine

    def add(self, user: str, item_id: str, question: str, expected: str, response: str, correct: bool) -> int:
        with self.engine.begin() as conn:
            return _inserted_id(conn.execute(db.quiz_answers.insert().values(
                user_name=user, item_id=item_id, question=question, expected=expected, response=response,
                correct=correct, created_at=time.time())))

    def score(self, user: str) -> tuple[int, int]:
        """(right, answered)."""
        q = db.quiz_answers
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(sa.func.count(), sa.func.sum(sa.case((q.c.correct, 1), else_=0)))
                               .where(q.c.user_name == user)).one()
        return int(row[1] or 0), int(row[0] or 0)

    def history(self, user: str, limit: int = 50) -> list[dict[str, Any]]:
        q = db.quiz_answers
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(q).where(q.c.user_name == user).order_by(q.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]


def _inserted_id(result) -> int:
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has its key
    return int(key[0])


def _title(title: str) -> str:
    return " ".join((title or "").split())[:TITLE_CHARS]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conversation(row) -> ConversationRecord:
    return ConversationRecord(row.id, row.user_name, row.title, row.created_at, row.updated_at, row.deleted_at)
