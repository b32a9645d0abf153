"""The chat app: `python ui.py` (or `assistant serve`) serves it on 127.0.0.1:7860 over the Engine.

The implementation lives in assistant/webapp/; this module is the entry point.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from assistant import logs

__all__ = ["main"]


def stop_on_sigterm() -> None:
    """SIGTERM stops the server as Ctrl-C does, so exit handlers run (the export folder is deleted)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def main(settings=None, host: str | None = None, port: int | None = None) -> None:
    stop_on_sigterm()
    from assistant.settings import Settings

    settings = settings or Settings.load()
    with ThreadPoolExecutor(1, thread_name_prefix="start") as pool:
        engine = pool.submit(_engine_with_backend, settings)  # the model loads while gradio imports
        from assistant.webapp.app import serve

        serve(engine.result(), settings, host=host, port=port)


def _engine_with_backend(settings):
    from assistant.engine import Engine

    engine = Engine(settings)
    engine.backend_name  # noqa: B018  (selects and loads the backend: the local model's weights)
    return engine


def _cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the chat app (settings also come from ASSISTANT_* env vars).")
    parser.add_argument("--host", help="interface to bind (default: settings.host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: settings.port, 7860)")
    parser.add_argument("--config", help="TOML settings file")
    parser.add_argument("--backend", choices=["auto", "local", "openai", "extractive"])
    logs.add_verbose_flag(parser)
    args = parser.parse_args(argv)
    logs.configure(verbose=args.verbose)
    from assistant.settings import Settings, SettingsError

    try:
        settings = Settings.load(args.config, backend=args.backend)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        main(settings, host=args.host, port=args.port)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM before the server was up
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
