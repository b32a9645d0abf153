"""The Gradio Blocks app over one shared Engine; each browser tab has its own conversation."""
from __future__ import annotations

import atexit
import importlib.util
import json
import logging
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.route_utils import FnIndexInferError
from starlette.middleware import Middleware
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse

from .. import feedback
from ..api.keys import is_loopback as keys_loopback
from ..corpus import SUPPORTED, Collection, load_collection
from ..engine import Engine, QuestionError
from ..progress import terminal_progress
from ..settings import Settings
from ..sources import manage
from ..sources.jobs import BackgroundIngest, JobStatus
from ..textutil import for_display
from ..validation import TOP_K_MAX
from . import assets, panels, team
from .export import export_docx, export_markdown
from .render import (
    STOPPED,
    Turn,
    chat_messages,
    document_html,
    documents_table_html,
    esc,
    feedback_values,
    header_html,
    index_line,
    ingest_status_html,
    intro_html,
    lead_sentences,
    no_document_html,
    notices_html,
    pending_html,
    question_counter_html,
    reading_order,
    sources_html,
)
from .team import parse_auth

UPLOAD_TYPES = tuple(sorted(SUPPORTED))
BAD_INPUT = "Invalid input"  # title of the gr.Error for a refused question or option
LIGHT_CONCURRENCY = 16  # viewer, feedback, settings: never stuck behind a long answer
STREAM_INTERVAL_S = 0.08
BACKEND_POLL_S = 3.0  # how soon a page shows a backend an admin changed elsewhere
logger = logging.getLogger(__name__)


class Conversation:
    """One browser tab's conversation: its engine session and the turns on screen."""

    def __init__(self, engine: Engine, export_root: Path, user: str = team.LOCAL_USER):
        self.session = engine.session()
        self.user = user
        self.chat_id: str | None = None  # the saved chat (storage), once its first answer is saved
        self.turns: list[Turn] = []
        self.export_dir = export_root / uuid.uuid4().hex
        self.lock = threading.Lock()
        self.stop = threading.Event()  # set by the stop button; the running answer ends at its next step
        self.feedback_turn: int | None = None  # the turn whose thumbs-down awaits its reason and comment

    def pending(self) -> Turn | None:
        """The turn waiting for its answer (at most one per conversation)."""
        last = self.turns[-1] if self.turns else None
        return last if last is not None and last.answer is None and last.error is None else None

    def reset(self) -> None:
        with self.lock:
            self.session.reset()
            self.turns = []

    def close(self) -> None:
        """The tab is gone: stop its answer and delete its export file."""
        self.stop.set()
        shutil.rmtree(self.export_dir, ignore_errors=True)

    def last_answer(self):
        return next((t.answer for t in reversed(self.turns) if t.answer is not None), None)

    def cited_spans(self, doc_id: str) -> list[tuple[int, int]]:
        return [(c.start, c.end) for t in self.turns if t.answer for c in t.answer.citations if c.doc_id == doc_id]


def local_model_installed(settings: Settings) -> bool:
    if importlib.util.find_spec("llama_cpp") is None:
        return False
    if settings.model_path:
        return Path(settings.model_path).expanduser().is_file()
    from ..backends import local

    if (local.model_cache_dir() / local.MODEL_FILE).is_file():
        return True
    try:
        local._part_files()
    except FileNotFoundError:
        return False
    return True


def openai_configured(settings: Settings) -> bool:
    return settings.backend == "openai" or settings.openai_base_url != Settings().openai_base_url


def usable_backends(settings: Settings, current: str) -> list[str]:
    names = []
    if local_model_installed(settings):
        names.append("local")
    if openai_configured(settings):
        names.append("openai")
    names.append("extractive")
    if current not in names:
        names.insert(0, current)
    return names


def may_edit(settings: Settings, username: str | None) -> bool:
    """Uploads and removals: only when enabled (by an admin, or the uploads setting), and with login on only for
    editors and admins."""
    if not team.uploads_on(settings):
        return False
    return team.role_of(settings, username) in ("editor", "admin")


def build_app(engine: Engine, settings: Settings | None = None) -> gr.Blocks:
    settings = settings or engine.settings
    engine.ensure_index()
    engine.start_warm_up()  # load the model, read the corpus prompt (serve() has started it already)
    app = AppEvents(engine, settings, load_collection(settings.corpus_dir))
    with gr.Blocks(title=for_display(app.collection.title), analytics_enabled=False, fill_width=True,
                   delete_cache=(3600, 3600)) as demo:  # gradio's copies of exported files: kept an hour
        top = _Top(gr.BrowserState(None, storage_key=f"{app.collection.cache_name}-open-chat",
                                   secret=app.team.browser_state_key()),
                   gr.Timer(BACKEND_POLL_S),
                   gr.State(None, delete_callback=lambda conv: conv and conv.close()),
                   gr.HTML(app.header(), elem_id="app-header"),
                   gr.HTML(notices_html(engine.notices), elem_id="notices", visible=bool(engine.notices)))
        side = _sidebar(app)
        with gr.Tabs(selected="chat", elem_id="tabs") as tabs:
            ask = _ask_tab(app)
            documents = _documents_tab(app)
            start = _start_here_tab(app)
            quiz = _quiz_tab(app)
        _wire_events(app, demo, top, side, tabs, ask, documents)
        _wire_team_events(app, demo, top, side, tabs, ask, documents, start, quiz)
    demo.queue(default_concurrency_limit=LIGHT_CONCURRENCY, max_size=256)
    return demo


class AppEvents:
    """What the app's events do, over one shared Engine; each browser tab's Conversation is its gr.State."""

    busy_box: dict[str, Any] = dict(submit_btn=False, stop_btn=True)
    idle_box: dict[str, Any] = dict(submit_btn="Ask", stop_btn=False)

    def __init__(self, engine: Engine, settings: Settings, collection: Collection):
        self.engine, self.settings, self.collection = engine, settings, collection
        self.docs = reading_order(engine.documents())
        self.doc_choices = [(for_display(d.title), d.doc_id) for d in self.docs]
        self.ingest_job = BackgroundIngest(engine)
        self.export_root = Path(tempfile.mkdtemp(prefix=f"{collection.cache_name}-exports-"))
        atexit.register(shutil.rmtree, self.export_root, True)
        self.summaries = {d.doc_id: lead_sentences(self.doc_text_of(d.doc_id) or "") for d in self.docs[:6]}
        self.team = team.Team(self)

    # ----- shared views -----
    def doc_text_of(self, doc_id: str) -> str | None:
        found = self.engine.document(doc_id)
        return found[1] if found else None

    def header(self) -> str:
        engine = self.engine
        return header_html(engine.backend_name, engine.model_name, index_line(engine.ensure_index()), self.collection)

    def notices(self):
        return gr.HTML(notices_html(self.engine.notices), visible=bool(self.engine.notices))

    def model_line(self) -> str:
        return f'<div class="side-note">Model: {esc(self.engine.model_name)}</div>'

    def export_buttons(self, conv: Conversation):
        """The Markdown and Word downloads of the conversation so far."""
        answered = [t for t in conv.turns if t.answer is not None]
        if not answered:
            return gr.DownloadButton(value=None, interactive=False), gr.DownloadButton(value=None, interactive=False)
        conv.export_dir.mkdir(parents=True, exist_ok=True)
        md_path = conv.export_dir / f"{self.collection.export_name}.md"
        args = (conv.turns, self.engine.backend_name, self.engine.model_name)
        md_path.write_text(export_markdown(*args, title=self.collection.title, doc_text_of=self.doc_text_of),
                           encoding="utf-8")
        docx_path = export_docx(*args, path=conv.export_dir / f"{self.collection.export_name}.docx",
                                title=self.collection.title, doc_text_of=self.doc_text_of)
        return gr.DownloadButton(value=str(md_path), interactive=True), \
            gr.DownloadButton(value=str(docx_path), interactive=True)

    def chat_view(self, conv: Conversation) -> tuple:
        """What shows a conversation: the chat, its sources, the state, and its two downloads."""
        return self.chat_update(conv), sources_html(conv.turns, self.doc_text_of), conv, *self.export_buttons(conv)

    def evaluator_view(self, conv: Conversation | None) -> str:
        return panels.evaluator_html(conv.last_answer() if conv else None, self.engine.ensure_index())

    @staticmethod
    def chat_update(conv: Conversation, pending: str | None = None):
        # gradio types `value` as an invariant list[MessageDict | Message]; a list[MessageDict] is what it accepts
        return gr.Chatbot(value=chat_messages(conv.turns, pending),  # type: ignore[arg-type]
                          feedback_value=feedback_values(conv.turns))

    # ----- chat -----
    def new_conversation(self, request: gr.Request | None) -> Conversation:
        return Conversation(self.engine, self.export_root, team.user_of(request))

    def enqueue_typed(self, question, conv, request: gr.Request):
        return self.enqueue(question, conv, gr.Textbox(value="", **self.busy_box), request)

    def enqueue_example(self, question, conv, request: gr.Request):
        return self.enqueue(question, conv, gr.Textbox(**self.busy_box), request)

    def enqueue(self, question, conv, busy, request: gr.Request | None = None):
        """First step: show the question at once; answer() then runs when an answer slot is free."""
        conv = conv or self.new_conversation(request)
        try:
            question = self.engine.validate(question)
        except QuestionError as exc:
            gr.Warning(str(exc))
            return gr.skip(), gr.skip(), conv, gr.skip()
        with conv.lock:
            if conv.pending() is not None:
                gr.Warning("Please wait for the current answer to finish.")
                return gr.skip(), gr.skip(), conv, gr.skip()
            conv.stop.clear()
            conv.turns.append(Turn(question))
        waiting = pending_html("Waiting for the assistant (answers are written one at a time)…")
        return self.chat_update(conv, waiting), sources_html(conv.turns, self.doc_text_of), conv, busy

    def answer(self, conv, top_k, doc_ids):
        """Queued step: stream the pending turn's answer into the chat, then show its sources."""
        turn = conv.pending() if conv is not None else None
        if turn is None:
            yield gr.skip(), gr.skip(), conv, gr.Textbox(**self.idle_box), *(gr.skip(),) * 5
            return
        if not conv.stop.is_set():
            waited_ms = (time.monotonic() - turn.asked_at) * 1e3
            yield from self.stream_answer(conv, turn, top_k, doc_ids)
            if turn.answer is not None:  # the latency shown is the user's: the wait for an answer slot included
                turn.answer.timings_ms["queue_wait"] = waited_ms
                turn.answer.timings_ms["total"] = turn.answer.timings_ms.get("total", 0.0) + waited_ms
        if turn.answer is None and turn.error is None:
            turn.error = STOPPED
        turn.answered_ts = time.time()
        saved = gr.skip(), gr.skip()
        if turn.answer is not None:
            try:
                self.team.save_turn(conv, turn)
                saved = gr.Radio(choices=self.team.chat_choices(conv.user), value=conv.chat_id), conv.chat_id
            except Exception as exc:  # the answer is shown all the same; saving is retried with its feedback
                logger.error("could not save the answer: %s: %s", type(exc).__name__, exc)
                gr.Warning("The answer could not be saved to your chats; it stays on this page.")
        yield (self.chat_update(conv), sources_html(conv.turns, self.doc_text_of), conv,
               gr.Textbox(**self.idle_box), *self.export_buttons(conv), *saved, self.evaluator_view(conv))

    def stream_answer(self, conv, turn, top_k, doc_ids):
        status, draft, shown_at = "Searching the corpus…", "", 0.0
        yield self.chat_update(conv, pending_html(status)), gr.skip(), conv, gr.skip(), *(gr.skip(),) * 5
        stream = conv.session.ask_stream(turn.question, top_k=top_k, doc_ids=doc_ids)  # the engine checks them
        more = (gr.skip(),) * 5
        try:
            for event in stream:
                if conv.stop.is_set():
                    break
                if event.kind == "status":
                    status = event.text
                elif event.kind == "token":
                    draft += event.text
                    status = "Writing the answer; its quotes are checked against the sources next…"
                    if time.monotonic() - shown_at < STREAM_INTERVAL_S:
                        continue
                elif event.kind == "final":
                    turn.answer = event.answer
                    continue
                shown_at = time.monotonic()
                yield self.chat_update(conv, pending_html(status, draft)), gr.skip(), conv, gr.skip(), *more
        except QuestionError as exc:  # e.g. a top_k or doc_ids sent by hand: shown in the chat, which goes on
            turn.error = str(exc)
            gr.Warning(turn.error)
        except Exception as exc:  # shown in the chat; the app keeps running
            logger.error("answer failed: %s: %s", type(exc).__name__, exc)
            turn.error = f"Something went wrong while answering ({type(exc).__name__}). Please try again."
        finally:
            stream.close()
            if turn.answer is None and turn.error is None:
                turn.error = STOPPED

    @staticmethod
    def stop(conv):
        """Asks the running answer to stop at its next step; it then ends normally and says so."""
        if conv is not None:
            conv.stop.set()

    def clear(self, conv, request: gr.Request):
        """A new chat; the one on screen stays saved (nothing is lost)."""
        if conv is not None:
            conv.stop.set()
        conv = self.new_conversation(request)
        return *self.chat_view(conv), gr.Column(visible=False), gr.Radio(value=None), None

    def on_like(self, conv, data: gr.LikeData, request: gr.Request):
        """Thumbs-up is saved at once; thumbs-down opens the box for an optional reason and comment."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn_no = int(index) // 2 if conv is not None else -1
        rating = {True: "up", False: "down", "Like": "up", "Dislike": "down"}.get(data.liked)
        if rating is None or not 0 <= turn_no < len(conv.turns) or conv.turns[turn_no].answer is None:
            return (gr.skip(),) * 7
        turn = conv.turns[turn_no]
        if rating == "down":
            conv.feedback_turn = turn_no
            turn.rating = "down"
            prompt = (f'<div class="feedback-for">What was wrong with answer {turn_no + 1} '
                      f'(“{esc(turn.question[:80])}”)? Both are optional.</div>')
            return (gr.Column(visible=True), prompt, gr.Radio(value=None), gr.Textbox(value=""), gr.skip(),
                    gr.skip(), gr.skip())
        turn.rating, turn.reason, turn.comment = "up", "", ""
        self.record_feedback(conv, turn, request)
        return (gr.Column(visible=False), gr.skip(), gr.skip(), gr.skip(), self.chat_update(conv),
                *self.export_buttons(conv))

    def record_feedback(self, conv: Conversation, turn: Turn, request: gr.Request | None) -> None:
        try:
            self.team.record_feedback(conv, turn)
        except Exception as exc:
            logger.error("could not save feedback: %s: %s", type(exc).__name__, exc)
            raise gr.Error("Your feedback could not be saved; please try again.") from exc
        gr.Info("Thanks! Your feedback was saved for the evaluation team.", duration=3)

    def send_feedback(self, conv, reason, comment, request: gr.Request):
        turn_no = conv.feedback_turn if conv is not None else None
        if turn_no is None or not 0 <= turn_no < len(conv.turns) or conv.turns[turn_no].answer is None:
            return gr.Column(visible=False), gr.skip(), gr.skip(), gr.skip()
        if reason and reason not in feedback.REASONS:
            raise gr.Error(f"Choose a reason among {', '.join(feedback.REASONS)}, or none.", title=BAD_INPUT)
        turn = conv.turns[turn_no]
        turn.rating, turn.reason, turn.comment = "down", reason or "", (comment or "").strip()
        conv.feedback_turn = None
        self.record_feedback(conv, turn, request)
        return gr.Column(visible=False), self.chat_update(conv), *self.export_buttons(conv)

    def cancel_feedback(self, conv):
        """Closes the box without saving; the thumbs-down is taken back."""
        if conv is not None and conv.feedback_turn is not None and conv.feedback_turn < len(conv.turns):
            conv.turns[conv.feedback_turn].rating = None
            conv.feedback_turn = None
            return gr.Column(visible=False), self.chat_update(conv), *self.export_buttons(conv)
        return gr.Column(visible=False), gr.skip(), gr.skip(), gr.skip()

    # ----- settings -----
    def change_backend(self, choice, request: gr.Request):
        if choice:
            self.team.change_backend(choice, request)
            self.engine.set_backend(choice)
            name = self.engine.backend_name  # loads the model now, not on the next question
            self.engine.start_warm_up()
            if name != choice:
                gr.Warning(f"The {choice} backend is not available; answering with {name}.")
            self.team.backend_seen = time.time()
        return self.header(), self.notices(), self.model_line()

    def sync_backend(self, shown_backend, shown_uploads, request: gr.Request):
        """Every page follows the server-wide settings an admin set, on this replica or another.

        A control already showing the server's value is left alone, so a poll answered while an admin
        is changing it cannot put back the old value under the click."""
        self.team.follow_shared_backend()
        name, uploads = self.engine.backend_name, team.uploads_on(self.settings)
        backend = gr.skip() if shown_backend == name else gr.Dropdown(
            choices=usable_backends(self.settings, name), value=name)
        return (backend, self.header(), self.model_line(),
                gr.Column(visible=may_edit(self.settings, getattr(request, "username", None))),
                gr.skip() if bool(shown_uploads) == uploads else gr.Checkbox(value=uploads))

    def change_uploads(self, on, request: gr.Request):
        self.team.set_uploads(bool(on), request)
        return gr.Column(visible=may_edit(self.settings, getattr(request, "username", None)))

    def on_load(self, request: gr.Request):
        """Every page load shows the current server-wide state (another user may have changed the backend)."""
        self.team.follow_shared_backend()
        name, user = self.engine.backend_name, team.user_of(request)
        admin = team.role_of(self.settings, user) == "admin"
        return (self.header(), self.notices(),
                gr.Dropdown(choices=usable_backends(self.settings, name), value=name, interactive=admin,
                            info="Server-wide: applies to every user." + ("" if admin else " Only an admin may "
                                                                                           "change it.")),
                self.model_line(), gr.Column(visible=may_edit(self.settings, getattr(request, "username", None))),
                team.user_line_html(self.settings, user),
                gr.Checkbox(value=team.uploads_on(self.settings), visible=admin))

    # ----- saved chats -----
    def restore_chat(self, chat_id, request: gr.Request):
        """On page load: the chat that was open in this browser, when it is still the user's."""
        conv = self.new_conversation(request)
        if isinstance(chat_id, str) and chat_id and self.team.load_into(conv, chat_id):
            value = conv.chat_id
        else:
            value = None
        return (*self.chat_view(conv), gr.Radio(choices=self.team.chat_choices(conv.user), value=value), value,
                self.evaluator_view(conv), gr.Textbox(interactive=True),
                *(gr.Button(interactive=True) for _ in self.collection.examples))

    def open_chat(self, chat_id, conv, request: gr.Request):
        if not chat_id:
            return (gr.skip(),) * 8
        if conv is not None:
            conv.stop.set()
        conv = self.new_conversation(request)
        if not self.team.load_into(conv, chat_id):
            gr.Warning("That chat no longer exists.")
            return (gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(),
                    gr.Radio(choices=self.team.chat_choices(conv.user), value=None), None, gr.skip())
        return *self.chat_view(conv), gr.skip(), chat_id, self.evaluator_view(conv)

    def search_chats(self, query, request: gr.Request):
        return gr.Radio(choices=self.team.chat_choices(team.user_of(request), query or ""))

    def rename_chat(self, title, conv):
        title = (title or "").strip()
        if conv is None or conv.chat_id is None:
            raise gr.Error("Ask a question first: a chat is saved with its first answer.")
        if not title:
            raise gr.Error("Type a new name for this chat.", title=BAD_INPUT)
        self.team.chats.rename(conv.user, conv.chat_id, title)
        return gr.Radio(choices=self.team.chat_choices(conv.user), value=conv.chat_id), ""

    def delete_chat(self, conv, request: gr.Request):
        """Deletes the open chat (undo restores it) and opens a new one."""
        if conv is None or conv.chat_id is None:
            raise gr.Error("This chat is not saved yet: there is nothing to delete.")
        deleted = conv.chat_id
        self.team.chats.delete(conv.user, deleted)
        fresh = self.new_conversation(request)
        return (*self.chat_view(fresh), gr.Radio(choices=self.team.chat_choices(fresh.user), value=None), None, deleted,
                gr.Button(visible=True))

    def undo_delete(self, deleted, request: gr.Request):
        user = team.user_of(request)
        if not deleted:
            return (gr.skip(),) * 10
        self.team.chats.restore(user, deleted)
        conv = self.new_conversation(request)
        self.team.load_into(conv, deleted)
        return (*self.chat_view(conv), gr.Radio(choices=self.team.chat_choices(user), value=deleted), deleted, None,
                gr.Button(visible=False))

    def export_all(self, conv, request: gr.Request):
        user = team.user_of(request)
        folder = (conv.export_dir if conv is not None else self.export_root / uuid.uuid4().hex) / "all"
        path = self.team.export_all(user, folder)
        if path is None:
            raise gr.Error("You have no saved chats yet.")
        return gr.DownloadButton(value=str(path))

    # ----- evaluator, start here, quiz -----
    def evaluator(self, show, conv):
        return gr.HTML(self.evaluator_view(conv), visible=bool(show))

    def quiz_start(self, request: gr.Request):
        state = self.team.new_quiz()
        return (state, panels.quiz_question_html(state.current(), 1), "", "",
                self.team.quiz_score_line(team.user_of(request)))

    def quiz_check(self, state, response, request: gr.Request):
        if state is None or state.current() is None:
            raise gr.Error("Start a quiz round first.")
        if not (response or "").strip():
            raise gr.Error("Type your answer first.", title=BAD_INPUT)
        if state.answered:
            raise gr.Error("This question is answered; go to the next one.")
        user = team.user_of(request)
        return state, self.team.check_quiz(state, response.strip()[:2000], user), self.team.quiz_score_line(user)

    def quiz_next(self, state):
        if state is None or not state.items:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if state.position + 1 >= len(state.items):
            return state, "<p>Round finished. Start a new round for more questions.</p>", "", ""
        state.position, state.answered = state.position + 1, False
        return state, panels.quiz_question_html(state.current(), state.position + 1), "", ""

    # ----- documents view -----
    def open_document(self, conv, evt: gr.EventData):
        doc_id = getattr(evt, "_data", {}).get("doc_id") if evt is not None else None
        found = self.engine.document(doc_id) if isinstance(doc_id, str) else None
        if found is None:
            return gr.skip(), gr.skip(), gr.skip()
        meta, text = found
        try:
            active = (int(evt._data.get("start")), int(evt._data.get("end")))
        except (TypeError, ValueError):
            active = None
        spans = (conv.cited_spans(doc_id) if conv else []) + ([active] if active else [])
        return gr.Tabs(selected="documents"), meta.doc_id, document_html(meta, text, spans, active)

    def pick_document(self, doc_id, conv):
        found = self.engine.document(doc_id) if doc_id else None
        if found is None:
            return no_document_html()
        meta, text = found
        spans = conv.cited_spans(doc_id) if conv else []
        return document_html(meta, text, spans, spans[-1] if spans else None)

    def source_rows(self):
        return manage.list_sources(self.settings, self.engine.ensure_index())

    @staticmethod
    def removable(rows) -> list[tuple[str, str]]:
        return [(for_display(f"{r.title} ({r.doc_id})"), r.doc_id) for r in rows
                if r.file.split("/")[0] in manage.MANAGED_DIRS]

    def doc_lists(self):
        """Everything that lists documents, after an ingest: table, both pickers, removable ones, header."""
        rows = self.source_rows()
        choices = [(for_display(r.title), r.doc_id) for r in rows]
        return (documents_table_html(rows), gr.Dropdown(choices=choices), gr.Dropdown(choices=choices),
                gr.Dropdown(choices=self.removable(rows), value=None), self.header())

    # ----- adding and removing documents -----
    def editor_or_error(self, request: gr.Request | None) -> None:
        if not may_edit(self.settings, getattr(request, "username", None)):
            raise gr.Error("Adding and removing documents is not enabled for you on this server.")

    def upload(self, files, request: gr.Request):
        self.editor_or_error(request)
        problems, added = [], 0
        for item in files or []:
            path = Path(item if isinstance(item, str) else getattr(item, "name", ""))
            try:
                manage.add_file(self.settings, path)
                added += 1
            except manage.SourceError as exc:
                problems.append(str(exc))
        if added:
            self.ingest_job.start(problems)
            return None, ingest_status_html(self.ingest_job.status()), gr.Timer(active=True)
        message = ingest_status_html(JobStatus(phase="failed", message="Nothing was added.", problems=problems))
        return None, message, gr.skip()

    def remove_document(self, doc_id, request: gr.Request):
        self.editor_or_error(request)
        if not doc_id:
            return gr.skip(), gr.skip()
        try:
            manage.remove(self.settings, doc_id)
        except manage.SourceError as exc:
            raise gr.Error(str(exc)) from exc
        self.ingest_job.start()
        return ingest_status_html(self.ingest_job.status()), gr.Timer(active=True)

    def poll_ingest(self):
        status = self.ingest_job.status()
        if status.running:
            return ingest_status_html(status), gr.skip(), *[gr.skip()] * 5
        return ingest_status_html(status), gr.Timer(active=False), *self.doc_lists()

    # ----- API for gradio_client -----
    def ask(self, question: str, top_k: int | None = None, doc_ids: list[str] | None = None) -> dict:
        """Answer one question from the corpus. Returns the answer, its verified citations and the retrieved
        passages (Answer.to_json()). top_k: passages to read, 1 to 20 (null: the server default); doc_ids:
        restrict the search to these documents (see /documents)."""
        try:
            answer = self.engine.session().ask(question, top_k=top_k, doc_ids=doc_ids)  # the engine checks all three
        except QuestionError as exc:
            raise gr.Error(str(exc), title=BAD_INPUT, print_exception=False) from exc
        except Exception as exc:
            logger.error("ask failed: %s: %s", type(exc).__name__, exc)
            raise gr.Error(f"Something went wrong while answering ({type(exc).__name__}). Please try again.",
                           print_exception=False) from exc
        return answer.to_json()

    def documents(self) -> list[dict]:
        """The corpus documents: doc_id, title, authors, date, url."""
        return [{"doc_id": d.doc_id, "title": d.title, "authors": d.authors, "date": d.date, "url": d.url}
                for d in self.engine.documents()]


@dataclass
class _Top:
    open_chat: gr.BrowserState  # the id of the chat open in this browser: a reload returns to it
    backend_timer: gr.Timer
    conv_state: gr.State
    header_box: gr.HTML
    notice_box: gr.HTML


@dataclass
class _Sidebar:
    user_line: gr.HTML
    chat_list: gr.Radio
    chat_search: gr.Textbox
    rename_box: gr.Textbox
    rename_btn: gr.Button
    delete_btn: gr.Button
    undo_btn: gr.Button
    export_all_btn: gr.DownloadButton
    evaluator_toggle: gr.Checkbox
    backend: gr.Dropdown
    model_box: gr.HTML
    top_k: gr.Slider
    only_docs: gr.Dropdown
    clear_btn: gr.Button
    export_btn: gr.DownloadButton
    export_docx_btn: gr.DownloadButton


@dataclass
class _AskTab:
    evaluator: gr.HTML
    chatbot: gr.Chatbot
    question: gr.Textbox
    example_btns: list[gr.Button]
    sources: gr.HTML
    feedback_box: gr.Column
    feedback_for: gr.HTML
    reason: gr.Radio
    comment: gr.Textbox
    send_feedback: gr.Button
    cancel_feedback: gr.Button


@dataclass
class _DocumentsTab:
    uploads_toggle: gr.Checkbox
    docs_table: gr.HTML
    editing: gr.Column
    upload_box: gr.File
    remove_pick: gr.Dropdown
    remove_btn: gr.Button
    ingest_box: gr.HTML
    ingest_timer: gr.Timer
    doc_picker: gr.Dropdown
    viewer: gr.HTML


def _sidebar(app: AppEvents) -> _Sidebar:
    settings, backend_now = app.settings, app.engine.backend_name
    with gr.Sidebar(label="Settings", open=True, width=300, elem_id="sidebar"):  # closed on phones (assets.HEAD)
        user_line = gr.HTML("", elem_id="user-line-box", container=False)
        gr.Markdown("### Chats")
        clear_btn = gr.Button("New chat", variant="primary", size="sm", elem_id="clear")
        chat_search = gr.Textbox(label="Search your chats", placeholder="Words in a title, question or answer",
                                 max_lines=1, max_length=200, elem_id="chat-search")
        chat_list = gr.Radio(choices=[], value=None, label="Saved chats", elem_id="chat-list")
        with gr.Row():
            rename_box = gr.Textbox(label="Rename this chat", max_lines=1, max_length=300, scale=3,
                                    elem_id="rename-box")
            rename_btn = gr.Button("Rename", size="sm", scale=1, elem_id="rename")
        with gr.Row():
            delete_btn = gr.Button("Delete chat", variant="stop", size="sm", elem_id="delete-chat")
            undo_btn = gr.Button("Undo delete", size="sm", visible=False, elem_id="undo-delete")
        export_all_btn = gr.DownloadButton("Export all chats", size="sm", variant="secondary",
                                           elem_id="export-all")
        gr.Markdown("### Answering")
        backend = gr.Dropdown(choices=usable_backends(settings, backend_now), value=backend_now,
                              label="Backend", info="Server-wide: applies to every user of this app.",
                              elem_id="backend")
        model_box = gr.HTML(app.model_line(), elem_id="model-line")
        top_k = gr.Slider(1, min(max(10, settings.top_k), TOP_K_MAX), value=min(settings.top_k, TOP_K_MAX),
                          step=1, label="Passages to read (top-k)", elem_id="top-k")
        only_docs = gr.Dropdown(choices=app.doc_choices, value=[], multiselect=True, label="Search only in",
                                info="Empty: the whole corpus.", elem_id="only-docs")
        evaluator_toggle = gr.Checkbox(False, label="Evaluator view", info="Scores, prompt size and timings of "
                                       "each answer, and the index state.", elem_id="evaluator-toggle")
        gr.Markdown("### This chat")
        export_btn = gr.DownloadButton("Export as Markdown", value=None, interactive=False, size="sm",
                                       variant="secondary", elem_id="export")
        export_docx_btn = gr.DownloadButton("Export as Word", value=None, interactive=False, size="sm",
                                            variant="secondary", elem_id="export-docx")
        gr.HTML('<div class="side-note">The thumbs up / down under each answer are saved for the evaluation '
                'team, who turn them into golden-set test cases.</div>')
    return _Sidebar(user_line, chat_list, chat_search, rename_box, rename_btn, delete_btn, undo_btn, export_all_btn,
                    evaluator_toggle, backend, model_box, top_k, only_docs, clear_btn, export_btn, export_docx_btn)


def _ask_tab(app: AppEvents) -> _AskTab:
    collection = app.collection
    with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    value=[], elem_id="chat", height="calc(100vh - 440px)", min_height=340,
                    show_label=False, layout="bubble",
                    placeholder=intro_html(app.docs, app.summaries, collection.intro),
                    latex_delimiters=[], sanitize_html=True, render_markdown=True, buttons=[],
                    feedback_options=("Like", "Dislike"), autoscroll=True)
                with gr.Column(visible=False, elem_id="feedback-box") as feedback_box:
                    feedback_for = gr.HTML("", elem_id="feedback-for")
                    reason = gr.Radio(choices=[(r.capitalize(), r) for r in feedback.REASONS], value=None,
                                      label="Reason", elem_id="feedback-reason")
                    comment = gr.Textbox(label="Comment", lines=2, max_lines=6, max_length=2000,
                                         placeholder="What should the answer have said?", elem_id="feedback-comment")
                    with gr.Row():
                        send_feedback = gr.Button("Send feedback", variant="primary", size="sm",
                                                  elem_id="feedback-send")
                        cancel_feedback = gr.Button("Cancel", variant="secondary", size="sm",
                                                    elem_id="feedback-cancel")
                # No max_length: the browser would cut a longer paste silently; the counter and the server say so.
                # Disabled until the page's chat is restored: a question sent earlier would be wiped by it.
                question = gr.Textbox(
                    placeholder=collection.placeholder, show_label=False, label="Question", interactive=False,
                    lines=1, max_lines=5, submit_btn="Ask", stop_btn=False, autofocus=True, elem_id="question")
                gr.HTML(question_counter_html(app.settings.max_question_chars), elem_id="question-counter",
                        container=False)
                gr.HTML('<div class="examples-label">Example questions</div>', container=False)
                with gr.Row(elem_id="examples-row"):
                    example_btns = [gr.Button(q, size="sm", variant="secondary", elem_classes="example-q",
                                              interactive=False) for q in collection.examples]
            with gr.Column(scale=2, min_width=340):
                sources = gr.HTML(sources_html([], app.doc_text_of), elem_id="sources-panel",
                                  js_on_load=assets.SOURCES_JS)
        evaluator = gr.HTML("", visible=False, elem_id="evaluator")
    return _AskTab(evaluator, chatbot, question, example_btns, sources, feedback_box, feedback_for, reason, comment,
                   send_feedback, cancel_feedback)


def _documents_tab(app: AppEvents) -> _DocumentsTab:
    docs = app.docs
    with gr.Tab("Documents", id="documents", elem_id="tab-documents"):
        rows_now = app.source_rows()
        uploads_toggle = gr.Checkbox(app.settings.uploads, visible=False, elem_id="uploads-toggle",
                                     label="Allow editors and admins to add and remove documents (server-wide)")
        docs_table = gr.HTML(documents_table_html(rows_now), elem_id="docs-table", js_on_load=assets.SOURCES_JS)
        with gr.Column(visible=False, elem_id="doc-editing") as editing:
            with gr.Row(equal_height=False):
                upload_box = gr.File(label=f"Add documents ({', '.join(UPLOAD_TYPES)})",
                                     file_count="multiple", file_types=list(UPLOAD_TYPES),
                                     type="filepath", elem_id="upload")
                with gr.Column():
                    remove_pick = gr.Dropdown(choices=app.removable(rows_now), value=None,
                                              label="Remove a document you added", elem_id="remove-pick")
                    remove_btn = gr.Button("Remove document", variant="stop", size="sm", elem_id="remove")
        ingest_box = gr.HTML("", elem_id="ingest-status")
        ingest_timer = gr.Timer(1.0, active=False)
        doc_picker = gr.Dropdown(choices=app.doc_choices, value=docs[0].doc_id if docs else None,
                                 label="Document", elem_id="doc-picker")
        first = app.engine.document(docs[0].doc_id) if docs else None
        viewer = gr.HTML(document_html(first[0], first[1], [], None) if first else no_document_html(),
                         elem_id="doc-viewer", js_on_load=assets.VIEWER_JS)
    return _DocumentsTab(uploads_toggle, docs_table, editing, upload_box, remove_pick, remove_btn, ingest_box,
                         ingest_timer, doc_picker, viewer)


@dataclass
class _StartTab:
    tab: gr.Tab
    overview: gr.HTML


@dataclass
class _QuizTab:
    state: gr.State
    start_btn: gr.Button
    question_box: gr.HTML
    response: gr.Textbox
    check_btn: gr.Button
    next_btn: gr.Button
    result: gr.HTML
    total: gr.HTML


def _start_here_tab(app: AppEvents) -> _StartTab:
    with gr.Tab("Start here", id="start", elem_id="tab-start") as tab:  # filled when opened: not at start-up
        overview = gr.HTML('<p class="src-searching">Reading the collection…</p>', elem_id="start-here",
                           js_on_load=assets.SOURCES_JS)
    return _StartTab(tab, overview)


def _quiz_tab(app: AppEvents) -> _QuizTab:
    with gr.Tab("Quiz", id="quiz", elem_id="tab-quiz"):
        gr.Markdown("Questions drawn from the documents. Answer in your own words; your answer is right when it "
                    "states the key fact. The source quote is shown after each answer.")
        state = gr.State(None)
        start_btn = gr.Button("Start a round", variant="primary", size="sm", elem_id="quiz-start")
        question_box = gr.HTML("", elem_id="quiz-question")
        response = gr.Textbox(label="Your answer", max_lines=3, max_length=2000, elem_id="quiz-answer")
        with gr.Row():
            check_btn = gr.Button("Check my answer", variant="primary", size="sm", elem_id="quiz-check")
            next_btn = gr.Button("Next question", size="sm", elem_id="quiz-next")
        result = gr.HTML("", elem_id="quiz-result")
        total = gr.HTML("", elem_id="quiz-total-box")
    return _QuizTab(state, start_btn, question_box, response, check_btn, next_btn, result, total)


def _wire_events(app: AppEvents, demo: gr.Blocks, top: _Top, side: _Sidebar, tabs: gr.Tabs, ask: _AskTab,
                 docs: _DocumentsTab) -> None:
    """The events, in a fixed order: it numbers them (fn_index), which open pages and API callers use."""
    conv_state = top.conv_state
    private: dict[str, Any] = {"api_visibility": "private"}
    # One bound method per handler: events of the same function share its default concurrency group.
    enqueue_example, clear, open_document = app.enqueue_example, app.clear, app.open_document
    answer_limits = dict(concurrency_limit=app.settings.concurrency_limit, concurrency_id="answer")
    outputs_head = [ask.chatbot, ask.sources, conv_state, ask.question]
    # preprocess=False: top_k and doc_ids reach answer() as sent, and the engine's checks answer a bad one
    # in the chat (a component's own check would fail the event and leave the question pending).
    answer_args = dict(fn=app.answer, inputs=[conv_state, side.top_k, side.only_docs],
                       outputs=[*outputs_head, side.export_btn, side.export_docx_btn, side.chat_list, top.open_chat,
                                ask.evaluator], api_visibility="private",
                       show_progress="hidden",
                       preprocess=False, **answer_limits)
    # Two steps: the question shows at once (light queue), the answer waits for an answer slot.
    ask.question.submit(app.enqueue_typed, [ask.question, conv_state], outputs_head, api_visibility="private",
                        show_progress="hidden").then(**answer_args)
    for btn in ask.example_btns:
        btn.click(enqueue_example, [btn, conv_state], outputs_head, api_visibility="private",
                  show_progress="hidden").then(**answer_args)
    ask.question.stop(app.stop, [conv_state], None, api_visibility="private", queue=False)
    cleared = [ask.chatbot, ask.sources, conv_state, side.export_btn, side.export_docx_btn, ask.feedback_box,
               side.chat_list, top.open_chat]
    ask.chatbot.clear(clear, [conv_state], cleared, **private)
    side.clear_btn.click(clear, [conv_state], cleared, **private)
    exports = [side.export_btn, side.export_docx_btn]
    ask.chatbot.like(app.on_like, [conv_state],
                     [ask.feedback_box, ask.feedback_for, ask.reason, ask.comment, ask.chatbot, *exports], **private)
    ask.send_feedback.click(app.send_feedback, [conv_state, ask.reason, ask.comment],
                            [ask.feedback_box, ask.chatbot, *exports], **private)
    ask.cancel_feedback.click(app.cancel_feedback, [conv_state], [ask.feedback_box, ask.chatbot, *exports],
                              **private)
    opened = [tabs, docs.doc_picker, docs.viewer]
    ask.sources.click(open_document, [conv_state], opened, **private)
    docs.doc_picker.input(app.pick_document, [docs.doc_picker, conv_state], [docs.viewer], **private)
    side.backend.input(app.change_backend, [side.backend], [top.header_box, top.notice_box, side.model_box],
                       **private)
    demo.load(app.on_load, None, [top.header_box, top.notice_box, side.backend, side.model_box, docs.editing,
                                  side.user_line, docs.uploads_toggle], **private)
    docs.upload_box.upload(app.upload, [docs.upload_box], [docs.upload_box, docs.ingest_box, docs.ingest_timer],
                           concurrency_limit=1, concurrency_id="edit-corpus", **private)
    docs.remove_btn.click(app.remove_document, [docs.remove_pick], [docs.ingest_box, docs.ingest_timer],
                          js="(id) => (id && confirm('Remove this document from the corpus?')) ? id : null",
                          concurrency_limit=1, concurrency_id="edit-corpus", **private)
    docs.ingest_timer.tick(app.poll_ingest, None, [docs.ingest_box, docs.ingest_timer, docs.docs_table,
                                                   side.only_docs, docs.doc_picker, docs.remove_pick,
                                                   top.header_box], show_progress="hidden", **private)
    docs.docs_table.click(open_document, [conv_state], opened, **private)
    gr.api(app.ask, api_name="ask", **answer_limits)
    gr.api(app.documents, api_name="documents")


def _wire_team_events(app: AppEvents, demo: gr.Blocks, top: _Top, side: _Sidebar, tabs: gr.Tabs, ask: _AskTab,
                      docs: _DocumentsTab, start: _StartTab, quiz: _QuizTab) -> None:
    private: dict[str, Any] = {"api_visibility": "private"}
    conv_state = top.conv_state
    chat_view = [ask.chatbot, ask.sources, conv_state, side.export_btn, side.export_docx_btn]
    demo.load(app.restore_chat, [top.open_chat], [*chat_view, side.chat_list, top.open_chat, ask.evaluator,
                                                  ask.question, *ask.example_btns], **private
              ).then(None, js="() => document.querySelector('#question textarea')?.focus()")
    side.chat_list.input(app.open_chat, [side.chat_list, conv_state],
                         [*chat_view, side.chat_list, top.open_chat, ask.evaluator], **private)
    side.chat_search.input(app.search_chats, [side.chat_search], [side.chat_list], show_progress="hidden",
                           trigger_mode="always_last", **private)
    side.rename_btn.click(app.rename_chat, [side.rename_box, conv_state], [side.chat_list, side.rename_box],
                          **private)
    deleted = gr.State(None)
    side.delete_btn.click(app.delete_chat, [conv_state], [*chat_view, side.chat_list, top.open_chat, deleted,
                                                          side.undo_btn], **private)
    side.undo_btn.click(app.undo_delete, [deleted], [*chat_view, side.chat_list, top.open_chat, deleted,
                                                     side.undo_btn], **private)
    side.export_all_btn.click(app.export_all, [conv_state], [side.export_all_btn], **private)
    side.evaluator_toggle.change(app.evaluator, [side.evaluator_toggle, conv_state], [ask.evaluator], **private)
    top.backend_timer.tick(app.sync_backend, [side.backend, docs.uploads_toggle],
                           [side.backend, top.header_box, side.model_box, docs.editing, docs.uploads_toggle],
                           show_progress="hidden", **private)
    docs.uploads_toggle.input(app.change_uploads, [docs.uploads_toggle], [docs.editing], **private)
    start.tab.select(app.team.start_here, None, [start.overview], show_progress="hidden", **private)
    start.overview.click(app.open_document, [conv_state], [tabs, docs.doc_picker, docs.viewer], **private)
    quiz.start_btn.click(app.quiz_start, None, [quiz.state, quiz.question_box, quiz.response, quiz.result,
                                                quiz.total], **private)
    quiz.check_btn.click(app.quiz_check, [quiz.state, quiz.response], [quiz.state, quiz.result, quiz.total],
                         **private)
    quiz.response.submit(app.quiz_check, [quiz.state, quiz.response], [quiz.state, quiz.result, quiz.total],
                         **private)
    quiz.next_btn.click(app.quiz_next, [quiz.state], [quiz.state, quiz.question_box, quiz.response, quiz.result],
                        **private)


_ROUTED = re.compile(r"/gradio_api/(?:(?P<verb>call/v2|call|run|api)/(?P<name>[^/]+)(?:/[^/]*)?|"
                     r"(?P<join>queue/join)|(?P<upload>upload))/?")


class EndpointGuard:
    """ASGI middleware over gradio's routes: an unknown API endpoint (api_name or fn_index) answers 404, not
    gradio's 500; a direct run/ call refused for bad input answers 422, not 500; /upload is refused (403) to
    whoever may not add documents. Unauthenticated requests pass through untouched, so that gradio's login
    check answers them (401) and endpoint names stay hidden."""

    def __init__(self, app, blocks: gr.Blocks, settings: Settings):
        self.app, self.blocks, self.settings = app, blocks, settings

    async def __call__(self, scope, receive, send):
        path, root = scope.get("path", ""), scope.get("root_path", "")
        match = _ROUTED.fullmatch(path[len(root):] if root and path.startswith(root) else path) \
            if scope["type"] == "http" else None
        if match is None:
            return await self.app(scope, receive, send)
        signed_in, user = self._user(scope)
        if not signed_in:
            return await self.app(scope, receive, send)
        method = scope.get("method")
        if match["upload"]:
            if method == "POST" and not may_edit(self.settings, user):
                return await _refuse(scope, send, 403, "Uploads are not enabled for you on this server.")
            return await self.app(scope, receive, send)
        # The browser posts events that skip the queue to run/predict, naming the function by fn_index.
        names = {fn.api_name for fn in self.blocks.fns.values() if fn.api_name} | {"predict"}
        if match["name"] and match["name"] not in names:
            return await _refuse(scope, send, 404, f"There is no API endpoint named {match['name'][:80]!r}.")
        if method == "POST" and (match["join"] or match["name"]):
            body, receive = await _read_body(receive)
            problem = self._unknown_function(body, names, match["join"] is not None)
            if problem:
                return await _refuse(scope, send, 404, problem)
        if method == "POST" and match["verb"] in ("run", "api"):
            send = _bad_input_as_422(send)
        return await self.app(scope, receive, send)

    def _user(self, scope) -> tuple[bool, str | None]:
        """(signed in or no login needed, username), as gradio's login check reads the session cookie."""
        app = scope.get("app")
        if getattr(app, "auth_dependency", None) is not None:
            return False, None  # not used by this app: gradio alone decides
        if getattr(app, "auth", None) is None:
            return True, None
        cookies = _cookies(scope)
        token = cookies.get(f"access-token-{app.cookie_id}") or cookies.get(f"access-token-unsecure-{app.cookie_id}")
        user = app.tokens.get(token)
        return user is not None, user

    def _unknown_function(self, body: bytes, names: set[str], join: bool) -> str | None:
        try:
            data = json.loads(body)
        except ValueError:
            return None  # gradio answers malformed JSON itself (422)
        if not isinstance(data, dict):
            return None
        index = data.get("fn_index")
        if index is None:
            name = data.get("api_name")
            if join and isinstance(name, str) and name.lstrip("/") not in names:
                return f"There is no API endpoint named {name[:80]!r}."
            return None
        if isinstance(index, str) and index.strip().isdigit():
            index = int(index)
        if isinstance(index, float) and index.is_integer():
            index = int(index)
        if isinstance(index, int) and not isinstance(index, bool) and index not in self.blocks.fns:
            return f"There is no API function with fn_index {index}."
        return None


async def _read_body(receive):
    """The whole request body, and a receive() that replays it to the app."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _bad_input_as_422(send):
    """gradio answers every error of a direct run/ call with 500; a refused input is the caller's (422)."""
    held = None

    async def wrapped(message):
        nonlocal held
        if message["type"] == "http.response.start" and message.get("status") == 500:
            held = message
            return
        if held is not None and message["type"] == "http.response.body":
            start, held = held, None
            try:
                if json.loads(message.get("body") or b"{}").get("title") == BAD_INPUT:
                    start = {**start, "status": 422}
            except (ValueError, AttributeError):
                pass
            await send(start)
        await send(message)

    return wrapped


def _cookies(scope) -> dict[str, str]:
    found = {}
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            found.update(cookie_parser(value.decode("latin-1")))
    return found


async def _refuse(scope, send, status: int, message: str) -> None:
    await JSONResponse({"detail": message, "error": message}, status_code=status)(scope, _no_body, send)


async def _no_body():
    return {"type": "http.disconnect"}


async def _unknown_endpoint(request, exc):
    message = "There is no API endpoint with that name."
    return JSONResponse({"detail": message, "error": message}, status_code=404)


def app_kwargs(blocks: gr.Blocks, settings: Settings, extra: dict | None = None) -> dict:
    """FastAPI arguments for launch(): the endpoint guard, and 404 for whatever unknown endpoint slips past it."""
    kwargs = dict(extra or {})
    guard = Middleware(EndpointGuard, blocks=blocks, settings=settings)
    kwargs["middleware"] = [*kwargs.get("middleware", []), guard]
    kwargs["exception_handlers"] = {FnIndexInferError: _unknown_endpoint, **kwargs.get("exception_handlers", {})}
    return kwargs


def main(settings: Settings | None = None, host: str | None = None, port: int | None = None) -> None:
    settings = settings or Settings.load()
    serve(Engine(settings), settings, host=host, port=port)


def serve(engine: Engine, settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Open (or build, with a progress bar) the index, load the backend, then serve the web app with the HTTP API
    beside it (one server) until interrupted."""
    from ..api import server as api_server

    host = host or settings.host
    port = int(port or settings.port)
    auth = parse_auth(settings.auth)
    logger.info("Corpus: %s\nIndex:  %s", settings.corpus_dir, settings.index_dir)
    index = engine.ensure_index(progress=terminal_progress("Building the index"))
    logger.info(index_line(index))
    engine.start_warm_up()  # the model loads and reads its fixed prompts while the app is built
    if not keys_loopback(host) and not auth:
        logger.warning("warning: listening on %s without a login; set ASSISTANT_AUTH='user:password' to require one.",
                       host)
    logger.info("%s", api_server.access_line(settings, host))
    demo = build_app(engine, settings)
    app = api_server.build(engine, settings, host)
    logger.info("Backend: %s (%s)", engine.backend_name, engine.model_name)
    for notice in engine.notices:
        logger.info("note: %s", notice)
    gr.mount_gradio_app(app, demo, path="", server_name=host, server_port=port, auth=auth,
                        auth_message=(for_display(f"Sign in to the {load_collection(settings.corpus_dir).title}.")
                                      if auth else None),
                        max_file_size=max(1, int(settings.max_file_mb * 1024 * 1024)),  # bytes; also caps /upload
                        theme=assets.theme(), css=assets.CSS, head=assets.HEAD, footer_links=["api"],
                        show_error=False, app_kwargs=app_kwargs(demo, settings))
    api_server.run(app, host, port)
