"""Saved conversations, feedback and shared settings on SQLite and on a real PostgreSQL server."""
import threading

import pytest
import sqlalchemy as sa

from assistant.settings import Settings
from assistant.storage import Conversations, Database, Feedback, QuizScores, SharedSettings, StorageError
from assistant.storage import database as database_module
from assistant.storage.records import NotFound

from fixtures import postgres


@pytest.fixture(scope="module")
def pg_server():
    if postgres.binaries() is None:
        pytest.fail("PostgreSQL is not installed: scripts/install.sh --test installs it")
    yield from postgres.running()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'assistant.db'}")
    else:
        server = request.getfixturevalue("pg_server")
        db = Database(server.url)
        with db.engine.begin() as conn:  # each test starts empty
            for table in ("feedback", "turns", "conversations", "shared_settings", "quiz_answers"):
                conn.execute(sa.text(f"DELETE FROM {table}"))
    yield db
    db.engine.dispose()


def answer(question: str, text: str, standalone: str = "") -> dict:
    return {"question": question, "standalone_question": standalone or question, "answer": text, "abstained": False,
            "citations": [{"n": 1, "doc_id": "next-afghan-jihad", "quote": "sixteen ISKP plots"}],
            "backend": "extractive", "model": "none"}


def test_conversations_are_per_user_ordered_and_titled_by_their_first_question(database):
    chats = Conversations(database)
    first = chats.create("ann")
    chats.add_turn("ann", first.id, answer("How many ISKP plots were foiled in India?", "Three [1]."))
    chats.add_turn("ann", first.id, answer("And in Iran?", "Four [1].", "How many ISKP plots were foiled in Iran?"))
    second = chats.create("ann", "Leadership")
    chats.create("bob")

    listed = chats.list("ann")
    assert [c.id for c in listed] == [second.id, first.id]
    assert listed[1].title == "How many ISKP plots were foiled in India?"
    assert listed[0].title == "Leadership"
    saved = chats.get("ann", first.id)
    assert [t.position for t in saved.turns] == [1, 2]
    assert saved.turns[1].standalone_question == "How many ISKP plots were foiled in Iran?"
    assert saved.turns[1].answer_json["citations"][0]["quote"] == "sixteen ISKP plots"
    assert saved.history()[0][:3] == ("How many ISKP plots were foiled in India?",
                                      "How many ISKP plots were foiled in India?", "Three [1].")
    assert saved.history()[1][3] == ("sixteen ISKP plots",)  # what a reopened chat's follow-ups are checked against
    assert len(chats.list("bob")) == 1
    with pytest.raises(NotFound):
        chats.get("bob", first.id)
    with pytest.raises(NotFound):
        chats.add_turn("bob", first.id, answer("x?", "y"))


def test_search_rename_delete_and_undo(database):
    chats = Conversations(database)
    plots = chats.create("ann")
    chats.add_turn("ann", plots.id, answer("How many plots in Turkey?", "Three 100%_done [1]."))
    other = chats.create("ann", "Media phases")
    assert [c.id for c in chats.list("ann", search="TURKEY")] == [plots.id]
    assert [c.id for c in chats.list("ann", search="media")] == [other.id]
    assert chats.list("ann", search="s%n") == []  # LIKE wildcards are matched literally
    assert [c.id for c in chats.list("ann", search="100%_done")] == [plots.id]

    chats.rename("ann", other.id, "  Media   phases of ISKP ")
    assert chats.get("ann", other.id).title == "Media phases of ISKP"
    chats.delete("ann", plots.id)
    assert [c.id for c in chats.list("ann")] == [other.id]
    assert [c.id for c in chats.list("ann", deleted=True)] == [plots.id]
    with pytest.raises(NotFound):
        chats.get("ann", plots.id)
    chats.restore("ann", plots.id)
    assert chats.get("ann", plots.id).turns[0].question == "How many plots in Turkey?"
    with pytest.raises(NotFound):
        chats.restore("ann", plots.id)  # not deleted
    chats.delete("ann", plots.id)
    assert chats.purge(older_than_s=0) == 1
    with pytest.raises(NotFound):
        chats.restore("ann", plots.id)


def test_feedback_keeps_user_reason_and_comment_and_rates_the_turn(database):
    chats, feedback = Conversations(database), Feedback(database)
    chat = chats.create("ann")
    turn = chats.add_turn("ann", chat.id, answer("Who leads ISKP?", "Shahab al-Muhajir [1]."))
    feedback.add({"user_name": "ann", "conversation_id": chat.id, "turn_id": turn.id, "rating": "down",
                  "reason": "unsupported", "comment": "the quote does not name him", "question": turn.question,
                  "answer": turn.answer, "citations": turn.answer_json["citations"], "backend": "extractive"})
    entry, = feedback.all()
    assert (entry["user"], entry["rating"], entry["reason"], entry["comment"]) == (
        "ann", "down", "unsupported", "the quote does not name him")
    assert entry["citations"][0]["quote"] == "sixteen ISKP plots"
    assert chats.get("ann", chat.id).turns[0].rating == "down"
    with pytest.raises(ValueError, match="rating"):
        feedback.add({"rating": "meh"})
    with pytest.raises(ValueError, match="reason"):
        feedback.add({"rating": "up", "reason": "boring"})
    assert len(feedback.all()) == 1  # a refused entry writes nothing


def test_shared_settings_are_read_back_with_who_changed_them(database):
    shared = SharedSettings(database)
    assert shared.get("backend") is None
    shared.set("backend", "local", "admin")
    shared.set("backend", "extractive", "root")
    value, _, by = shared.get("backend")
    assert (value, by) == ("extractive", "root")


def test_concurrent_turns_get_distinct_positions(database):
    chats = Conversations(database)
    chat = chats.create("ann")
    errors = []

    def add(n):
        try:
            chats.add_turn("ann", chat.id, answer(f"Question {n}?", f"Answer {n}."))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(t.position for t in chats.get("ann", chat.id).turns) == list(range(1, 9))


def test_a_database_is_migrated_once_and_a_newer_schema_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    first = Database(url)
    chat = Conversations(first).create("ann")
    first.engine.dispose()
    again = Database(url)  # reopening keeps the data
    assert Conversations(again).list("ann")[0].id == chat.id
    with again.engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_version SET version = 99"))
    again.engine.dispose()
    with pytest.raises(StorageError, match="newer than this program"):
        Database(url)


def test_default_database_lives_in_the_data_folder_and_a_bad_url_is_a_clear_error(tmp_path):
    settings = Settings.load(data_dir=tmp_path / "data")
    db = Database.for_settings(settings)
    assert (tmp_path / "data" / "assistant.db").exists()
    db.dispose()
    with pytest.raises(ValueError, match="SQLAlchemy URL"):
        Settings.load(database_url="not a url")
    with pytest.raises(StorageError, match="Cannot open the database"):
        Database(f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")


def test_quiz_answers_keep_a_score_per_user(database):
    scores = QuizScores(database)
    assert scores.score("ann") == (0, 0)
    scores.add("ann", "doc:1", "Fill in ...", "sixteen", "16", True)
    scores.add("ann", "doc:2", "What is ...", "1.5%", "2%", False)
    scores.add("bob", "doc:1", "Fill in ...", "sixteen", "sixteen", True)
    assert scores.score("ann") == (1, 2) and scores.score("bob") == (1, 1)
    assert [h["response"] for h in scores.history("ann")] == ["2%", "16"]


def test_an_older_database_is_migrated_forward_keeping_its_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a database as schema version 1 left it
        database_module.schema_version.create(conn)
        conn.execute(database_module.schema_version.insert().values(version=0))
        database_module.MIGRATIONS[0](conn)
        conn.execute(sa.text("UPDATE schema_version SET version = 1"))
        conn.execute(database_module.conversations.insert().values(id="c1", user_name="ann", title="Old",
                                                                   created_at=1.0, updated_at=1.0))
    engine.dispose()
    migrated = Database(url)
    assert migrated.version == len(database_module.MIGRATIONS) >= 2
    assert Conversations(migrated).list("ann")[0].title == "Old"
    QuizScores(migrated).add("ann", "x", "q", "a", "a", True)
    assert QuizScores(migrated).score("ann") == (1, 1)


def test_a_saved_answer_reads_back_as_the_same_answer(extractive_engine, tmp_path):
    from assistant.answer import Answer

    database = Database(f"sqlite:///{tmp_path / 'a.db'}")
    chats = Conversations(database)
    chat = chats.create("ann")
    answer = extractive_engine.ask("How many ISKP plots were foiled in India?")
    chats.add_turn("ann", chat.id, answer.to_json())
    restored = Answer.from_json(chats.get("ann", chat.id).turns[0].answer_json)
    assert restored.to_json() == answer.to_json()
    assert restored.citations == answer.citations and restored.passages[0].chunk_ids == answer.passages[0].chunk_ids
