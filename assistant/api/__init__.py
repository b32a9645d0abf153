"""The HTTP API: an OpenAI-compatible chat endpoint with citations, the engine's JSON, documents, health and metrics,
served by FastAPI (`assistant api`; `assistant serve` mounts the web app beside it)."""
