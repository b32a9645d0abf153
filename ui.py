"""The chat app: `python ui.py` (or `assistant serve`) serves it on 127.0.0.1:7860 over the Engine.

The implementation lives in assistant/webapp/; this module is the entry point and keeps the public names.
"""
from __future__ import annotations

import argparse
import sys

from assistant.webapp.app import build_app, main, parse_auth, serve

__all__ = ["build_app", "main", "parse_auth", "serve"]


def _cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the chat app (settings also come from ASSISTANT_* env vars).")
    parser.add_argument("--host", help="interface to bind (default: settings.host, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: settings.port, 7860)")
    parser.add_argument("--config", help="TOML settings file")
    parser.add_argument("--backend", choices=["auto", "local", "openai", "extractive"])
    args = parser.parse_args(argv)
    from assistant.settings import Settings

    main(Settings.load(args.config, backend=args.backend), host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(_cli())
