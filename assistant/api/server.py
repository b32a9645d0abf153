"""One server: the API (`assistant api`), and with the web app mounted beside it (`assistant serve`, ui.py)."""
from __future__ import annotations

import logging

import uvicorn
from fastapi import FastAPI

from ..engine import Engine
from ..progress import terminal_progress
from ..settings import Settings
from . import keys
from .app import create_app

logger = logging.getLogger(__name__)


def access_line(settings: Settings, host: str) -> str:
    """What start-up says about who may call the API."""
    configured = keys.parse(settings.api_keys)
    if configured:
        roles = sorted(set(configured.values()), key=keys.ROLES.index)
        return f"API: {len(configured)} API key(s) ({', '.join(roles)}); send 'Authorization: Bearer <key>'."
    if keys.is_loopback(host):
        return (f"API: open without keys, because it listens on {host} only; set api_keys "
                "(ASSISTANT_API_KEYS='key:role') before listening on other addresses.")
    return (f"warning: API: no api_keys set and listening on {host}: every API request is refused (401) until "
            "keys are configured (ASSISTANT_API_KEYS='key:role').")


def build(engine: Engine, settings: Settings, host: str) -> FastAPI:
    return create_app(engine, settings, open_access=not settings.api_keys and keys.is_loopback(host))


def run(app: FastAPI, host: str, port: int) -> None:
    logger.info("Running on local URL:  http://%s:%s  (API under /v1, its schema at /openapi.json)", host, port)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    except KeyboardInterrupt:  # uvicorn re-raises the signal it stopped on; ui.py turns SIGTERM into this too
        pass


def serve_api(settings: Settings, host: str | None = None, port: int | None = None,
              engine: Engine | None = None) -> None:
    """`assistant api`: the API alone; the index is opened (or built) and the model warmed up first."""
    host, port = host or settings.host, int(port or settings.port)
    engine = engine or Engine(settings)
    logger.info("Corpus: %s\nIndex:  %s", settings.corpus_dir, settings.index_dir)
    engine.ensure_index(progress=terminal_progress("Building the index"))
    engine.start_warm_up()  # while the API is built
    app = build(engine, settings, host)
    logger.info("Backend: %s (%s)", engine.backend_name, engine.model_name)
    for notice in engine.notices:
        logger.info("note: %s", notice)
    logger.info("%s", access_line(settings, host))
    run(app, host, port)
