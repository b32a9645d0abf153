"""The real local model for tests: skipped, with the reason, where the GGUF is not installed."""
import pytest

from assistant.settings import Settings


def local_engine_for(settings: Settings):
    """An engine on the real local model over these settings' index, or skip when the GGUF is not installed."""
    from assistant.backends.local import resolve_model_path
    from assistant.engine import Engine

    settings = settings.replace(backend="local")
    try:
        resolve_model_path(settings)
    except FileNotFoundError as exc:
        pytest.skip(f"local model not installed: {exc}")
    engine = Engine(settings)
    assert engine.backend_name == "local", engine.notices
    return engine
