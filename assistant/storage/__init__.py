"""What users make and keep: saved conversations, their turns, feedback and shared settings, in one SQL database
(SQLite under the data folder by default, PostgreSQL by URL) reached through SQLAlchemy."""
from .database import Database, StorageError, database_url
from .records import Conversations, Feedback, QuizScores, SharedSettings

__all__ = ["Conversations", "Database", "Feedback", "QuizScores", "SharedSettings", "StorageError", "database_url"]
