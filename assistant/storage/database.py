"""The database: its URL from settings, its tables, and numbered migrations applied once at open (under a lock, so
that replicas starting together do not race)."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)

metadata = sa.MetaData()

schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))

conversations = sa.Table(
    "conversations", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("user_name", sa.String(200), nullable=False, index=True),
    sa.Column("title", sa.String(300), nullable=False, default=""),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("deleted_at", sa.Float, nullable=True),
)

turns = sa.Table(
    "turns", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(32), sa.ForeignKey("conversations.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("standalone_question", sa.Text, nullable=False, default=""),
    sa.Column("answer", sa.Text, nullable=False, default=""),
    sa.Column("abstained", sa.Boolean, nullable=False, default=False),
    sa.Column("answer_json", sa.Text, nullable=False, default="{}"),
    sa.Column("backend", sa.String(100), nullable=False, default=""),
    sa.Column("model", sa.String(300), nullable=False, default=""),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.UniqueConstraint("conversation_id", "position"),
)

feedback = sa.Table(
    "feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("user_name", sa.String(200), nullable=False, default=""),
    sa.Column("session_id", sa.String(64), nullable=False, default=""),
    sa.Column("conversation_id", sa.String(32), nullable=True, index=True),
    sa.Column("turn_id", sa.Integer, nullable=True),
    sa.Column("rating", sa.String(8), nullable=False),
    sa.Column("reason", sa.String(40), nullable=False, default=""),
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("question", sa.Text, nullable=False, default=""),
    sa.Column("standalone_question", sa.Text, nullable=False, default=""),
    sa.Column("answer", sa.Text, nullable=False, default=""),
    sa.Column("abstained", sa.Boolean, nullable=False, default=False),
    sa.Column("citations_json", sa.Text, nullable=False, default="[]"),
    sa.Column("backend", sa.String(100), nullable=False, default=""),
    sa.Column("model", sa.String(300), nullable=False, default=""),
)

shared_settings = sa.Table(
    "shared_settings", metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False, default=""),
)


quiz_answers = sa.Table(
    "quiz_answers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_name", sa.String(200), nullable=False, index=True),
    sa.Column("item_id", sa.String(300), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("expected", sa.Text, nullable=False),
    sa.Column("response", sa.Text, nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[conversations, turns, feedback, shared_settings])


def _v2(conn: Connection) -> None:
    metadata.create_all(conn, tables=[quiz_answers])


MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2]  # MIGRATIONS[n] takes the schema from version n to n + 1


class StorageError(RuntimeError):
    """The database cannot be opened or is newer than this program; the message says which and where."""


def database_url(settings) -> str:
    """settings.database_url, else SQLite in the data folder (created)."""
    if settings.database_url:
        return settings.database_url
    folder = Path(settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'assistant.db'}"


def _shown(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


class Database:
    """One SQLAlchemy engine over the URL, migrated to the current schema."""

    _opened: dict[str, Database] = {}
    _lock = threading.Lock()

    def __init__(self, url: str):
        self.url = url
        try:
            self.engine: Engine = _engine(url)
            self.version = self._migrate()
        except sa.exc.SQLAlchemyError as exc:
            raise StorageError(f"Cannot open the database {_shown(url)}: {type(exc).__name__}: "
                               f"{str(exc).splitlines()[0]}") from exc

    @classmethod
    def open(cls, url: str) -> Database:
        """The process's one Database for this URL."""
        with cls._lock:
            if url not in cls._opened:
                cls._opened[url] = cls(url)
            return cls._opened[url]

    @classmethod
    def for_settings(cls, settings) -> Database:
        return cls.open(database_url(settings))

    def _migrate(self) -> int:
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(7105427)"))  # replicas migrate one at a time
            schema_version.create(conn, checkfirst=True)
            version = conn.execute(sa.select(schema_version.c.version)).scalar()
            if version is None:
                conn.execute(schema_version.insert().values(version=0))
                version = 0
            if version > len(MIGRATIONS):
                raise StorageError(f"The database {_shown(self.url)} has schema version {version}, newer than this "
                                   f"program's {len(MIGRATIONS)}; upgrade the program.")
            for step in MIGRATIONS[version:]:
                step(conn)
            if version < len(MIGRATIONS):
                logger.info("database %s migrated from schema %d to %d", _shown(self.url), version, len(MIGRATIONS))
                conn.execute(schema_version.update().values(version=len(MIGRATIONS)))
            return len(MIGRATIONS)

    def dispose(self) -> None:
        self.engine.dispose()
        with self._lock:
            self._opened.pop(self.url, None)


def _engine(url: str) -> Engine:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, future=True)
    engine = sa.create_engine(url, future=True, connect_args={"timeout": 30, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # pysqlite's own BEGIN is off; _begin takes the write lock up front
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # writers queue here instead of failing on a lock upgrade

    return engine
