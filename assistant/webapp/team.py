"""The app as a team tool: who is signed in and what their role allows, saved conversations (per user, in the
database), the server-wide backend every page follows live, feedback recorded in the database, the evaluator's
view, the Start-here overview and the quiz."""
from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import gradio as gr

from .. import feedback, onboarding
from ..answer import Answer
from ..conversation import Turn as HistoryTurn
from ..settings import Settings
from ..storage import Conversations, Database, Feedback, QuizScores, SharedSettings, database_url
from ..storage.records import ConversationRecord, NotFound
from ..textutil import for_display
from . import panels
from .export import export_markdown
from .render import Turn, esc

if TYPE_CHECKING:
    from .app import AppEvents, Conversation

logger = logging.getLogger(__name__)

LOCAL_USER = "local"  # without login: one person's app, as with the CLI
ROLES = ("reader", "editor", "admin")
BACKEND_SETTING = "backend"
BROWSER_KEY_SETTING = "browser_state_key"
UPLOADS_SETTING = "uploads"
SHARED_TTL_S = 2.0  # how long a read of a shared setting is reused by checks made on every request
QUIZ_ROUND = 5


def names(spec: str) -> set[str]:
    return {name.strip() for name in (spec or "").split(",") if name.strip()}


def parse_auth(spec: str) -> list[tuple[str, str]] | None:
    """"user:pw[,user2:pw2]" -> [(user, pw), ...]; empty -> None (no login)."""
    pairs = []
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ValueError("ASSISTANT_AUTH must look like 'user:password[,user2:password2]'")
        pairs.append((user, password))
    return pairs or None


def login_on(settings: Settings) -> bool:
    return parse_auth(settings.auth) is not None


def user_of(request: gr.Request | None) -> str:
    return getattr(request, "username", None) or LOCAL_USER


def role_of(settings: Settings, user: str | None) -> str:
    """admin, editor or reader, from the admins and editors settings; without login the one user is admin."""
    if not login_on(settings):
        return "admin"
    if (user or "") in names(settings.admins):
        return "admin"
    if (user or "") in names(settings.editors):
        return "editor"
    return "reader"


def user_line_html(settings: Settings, user: str) -> str:
    if not login_on(settings):
        return ""
    return (f'<div class="user-line" id="user-line">Signed in as <b>{esc(user)}</b> '
            f'<span class="role">({role_of(settings, user)})</span> · <a href="/logout" id="logout">Log out</a></div>')


_uploads_read: dict[str, tuple[float, bool]] = {}


def uploads_on(settings: Settings) -> bool:
    """Whether documents may be added and removed: what an admin set at run time, else the `uploads` setting."""
    url = database_url(settings)
    read = _uploads_read.get(url)
    if read is not None and time.monotonic() - read[0] < SHARED_TTL_S:
        return read[1]
    saved = SharedSettings(Database.open(url)).get(UPLOADS_SETTING)
    value = settings.uploads if saved is None else saved[0] == "true"
    _uploads_read[url] = (time.monotonic(), value)
    return value


def shown_turns(record: ConversationRecord) -> list[Turn]:
    """A saved chat's turns as the page shows and exports them."""
    return [Turn(t.question, answer=Answer.from_json(t.answer_json), rating=t.rating or None, asked_ts=t.created_at,
                 answered_ts=t.created_at, turn_id=t.id) for t in record.turns]


@dataclass
class QuizState:
    items: list[onboarding.QuizItem] = field(default_factory=list)
    position: int = 0
    answered: bool = False

    def current(self) -> onboarding.QuizItem | None:
        return self.items[self.position] if 0 <= self.position < len(self.items) else None


class Team:
    """Storage-backed events of the app; `app` supplies the chat, the exports and the engine."""

    def __init__(self, app: AppEvents, database: Database | None = None):
        self.app, self.settings = app, app.settings
        database = database or Database.for_settings(app.settings)
        self.chats, self.feedback = Conversations(database), Feedback(database)
        self.shared, self.scores = SharedSettings(database), QuizScores(database)
        self.backend_seen: float = 0.0  # updated_at of the shared backend this process follows
        self._start_here: tuple[str, str] = ("", "")
        self.follow_shared_backend()

    # ----- the server-wide backend -----
    def follow_shared_backend(self) -> None:
        """Applies the backend an admin chose (on any replica) when it changed since this process last looked."""
        saved = self.shared.get(BACKEND_SETTING)
        if saved is None or saved[1] <= self.backend_seen:
            return
        self.backend_seen = saved[1]
        if saved[0] != self.app.engine.backend_name:
            self.app.engine.set_backend(saved[0])
            logger.info("backend set to %s by %s", saved[0], saved[2] or "an admin")

    def change_backend(self, choice: str, request: gr.Request | None) -> None:
        user = user_of(request)
        if role_of(self.settings, user) != "admin":
            raise gr.Error("Only an admin may change the server-wide backend.")
        self.shared.set(BACKEND_SETTING, choice, by=user)

    def browser_state_key(self) -> str:
        """The key the browser keeps its open chat under, the same on every start and replica (gradio's default
        is new at each start, which would lose the open chat on a restart). Not a secret: a chat id is checked
        against its user on the server."""
        saved = self.shared.get(BROWSER_KEY_SETTING)
        if saved is None:
            self.shared.set(BROWSER_KEY_SETTING, secrets.token_hex(16))
            saved = self.shared.get(BROWSER_KEY_SETTING)
        assert saved is not None
        return saved[0]

    def set_uploads(self, on: bool, request: gr.Request | None) -> None:
        user = user_of(request)
        if role_of(self.settings, user) != "admin":
            raise gr.Error("Only an admin may allow or stop uploads.")
        self.shared.set(UPLOADS_SETTING, "true" if on else "false", by=user)
        _uploads_read.clear()

    # ----- saved conversations -----
    def chat_choices(self, user: str, search: str = "") -> list[tuple[str, str]]:
        return [(for_display(c.title or "Untitled chat"), c.id) for c in self.chats.list(user, search=search[:200])]

    def save_turn(self, conv: Conversation, turn: Turn) -> None:
        """An answered turn is saved at once; the first one creates the saved chat."""
        if turn.answer is None or turn.turn_id is not None:
            return
        try:
            if conv.chat_id is None:
                conv.chat_id = self.chats.create(conv.user).id
            turn.turn_id = self.chats.add_turn(conv.user, conv.chat_id, turn.answer.to_json()).id
        except NotFound:  # deleted in another tab meanwhile: saved as a new chat
            conv.chat_id = self.chats.create(conv.user).id
            turn.turn_id = self.chats.add_turn(conv.user, conv.chat_id, turn.answer.to_json()).id

    def load_into(self, conv: Conversation, chat_id: str) -> bool:
        """Replaces conv's turns and history with a saved chat of its user; False when there is none."""
        try:
            record = self.chats.get(conv.user, chat_id)
        except NotFound:
            return False
        turns = shown_turns(record)
        with conv.lock:
            conv.turns, conv.chat_id = turns, record.id
            keep = self.settings.history_turns
            saved = [HistoryTurn(question, standalone or question, answer, quotes=quotes)
                     for question, standalone, answer, quotes in record.history()]
            conv.session.history = saved[-keep:] if keep else []
        return True

    def export_all(self, user: str, folder: Path) -> Path | None:
        saved = self.chats.list(user)
        if not saved:
            return None
        parts = []
        for summary in saved:
            record = self.chats.get(user, summary.id)
            parts.append(export_markdown(shown_turns(record), self.app.engine.backend_name, self.app.engine.model_name,
                                         title=record.title or "Untitled chat", doc_text_of=self.app.doc_text_of))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.app.collection.export_name}-all-chats.md"
        path.write_text("\n\n---\n\n".join(parts), encoding="utf-8")
        return path

    # ----- feedback -----
    def record_feedback(self, conv: Conversation, turn: Turn) -> int:
        assert turn.answer is not None and turn.rating is not None
        if turn.turn_id is None:
            self.save_turn(conv, turn)
        entry = feedback.entry(turn.answer, turn.rating, session_id=conv.session.id, comment=turn.comment,
                               reason=turn.reason, user=conv.user)
        return self.feedback.add({**entry, "user_name": conv.user, "conversation_id": conv.chat_id,
                                  "turn_id": turn.turn_id})

    # ----- onboarding -----
    def start_here(self) -> str:
        """The Start-here page of the current index generation (made once per generation)."""
        index = self.app.engine.ensure_index()
        if self._start_here[0] != index.generation:
            self._start_here = (index.generation, panels.start_here_html(self.app.collection.title,
                                                                        onboarding.overview(index)))
        return self._start_here[1]

    def new_quiz(self, seed: int | None = None) -> QuizState:
        return QuizState(onboarding.quiz(self.app.engine.ensure_index(), n=QUIZ_ROUND,
                                         seed=seed if seed is not None else time.time_ns()))

    def quiz_score_line(self, user: str) -> str:
        right, answered = self.scores.score(user)
        return f'<p class="quiz-score" id="quiz-total">Your score so far: {right} of {answered}</p>'

    def check_quiz(self, state: QuizState, response: str, user: str) -> str:
        item = state.current()
        if item is None:
            return "<p>Start a new round.</p>"
        result = onboarding.score(item, response)
        self.scores.add(user, item.id, item.question, item.answer, response, result.correct)
        state.answered = True
        right, answered = self.scores.score(user)
        return panels.quiz_result_html(item, result, right, answered)
