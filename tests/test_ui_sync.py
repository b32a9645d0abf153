"""The 3-second poll that keeps every page on the server-wide settings."""
import gradio as gr

from assistant.corpus import load_collection
from assistant.webapp.app import AppEvents


def test_the_poll_leaves_alone_a_control_already_showing_the_servers_value(extractive_engine):
    settings = extractive_engine.settings
    app = AppEvents(extractive_engine, settings, load_collection(settings.corpus_dir))
    name = extractive_engine.backend_name
    backend, *_, uploads = app.sync_backend(name, settings.uploads, None)
    assert backend == gr.skip()  # a click in flight is not undone
    assert uploads == gr.skip()
    backend, *_, uploads = app.sync_backend("openai", not settings.uploads, None)
    assert backend.value == name and uploads.value == settings.uploads  # another admin's change is shown
