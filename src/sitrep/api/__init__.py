"""The HTTP API (FastAPI) over the event store, serving the dashboard too."""
