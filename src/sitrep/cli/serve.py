"""`sitrep serve --db URL`: the HTTP API and the dashboard on 127.0.0.1:8000 by default.

With `--workers N` uvicorn runs N processes that each build the app from
`worker_app` (the settings travel in the environment, the token stays in its own
variable); each process keeps its own rate limits and in-flight cap.
"""

from __future__ import annotations

import os

import click
from fastapi import FastAPI

# The settings of `sitrep serve` for its worker processes, as JSON without the token.
SETTINGS_ENV = "SITREP_SERVE_SETTINGS"
# The name of the variable that holds the token, which each worker reads itself.
TOKEN_ENV_ENV = "SITREP_SERVE_TOKEN_ENV"


@click.command("serve")
@click.option(
    "--db", "target", envvar="SITREP_DB", required=True, help="SQLite file or PostgreSQL URL."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token-env",
    default="SITREP_API_TOKEN",
    show_default=True,
    help="Environment variable holding the bearer token for writes; unset means writes are off.",
)
@click.option(
    "--max-body", default=5 * 1024 * 1024, show_default=True, help="Largest request body, bytes."
)
@click.option(
    "--write-rate",
    default=60,
    show_default=True,
    help="Writes per minute per client, counted in each worker process.",
)
@click.option(
    "--read-rate",
    default=None,
    type=int,
    help="Reads per minute per client, counted in each worker process (default: no limit).",
)
@click.option(
    "--list-cache",
    default=512,
    show_default=True,
    type=click.IntRange(0),
    help="Pages of /api/events kept per worker until the SQLite store next changes (0: none).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes. Each counts the rate limits apart: a client whose connections "
    "land on several workers may use up to N times the rates.",
)
def command(
    target: str,
    host: str,
    port: int,
    token_env: str,
    max_body: int,
    write_rate: int,
    read_rate: int | None,
    list_cache: int,
    workers: int,
) -> None:
    """Serve the HTTP API and the map-and-timeline dashboard."""
    import uvicorn

    from sitrep.api.app import Settings, create_app

    settings = Settings(
        db=target,
        token=os.environ.get(token_env) or None,
        max_body_bytes=max_body,
        write_rate_per_minute=write_rate,
        read_rate_per_minute=read_rate,
        list_cache_entries=list_cache,
    )
    writes = "on (bearer token set)" if settings.token else "off (no token set)"
    processes = f", {workers} workers" if workers > 1 else ""
    click.echo(
        f"sitrep: serving {target} on http://{host}:{port}/{processes} — writes {writes}",
        err=True,
    )
    if workers == 1:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="warning", access_log=False
        )
        return
    # Worker processes import the app by name, so its settings go through the environment.
    os.environ[SETTINGS_ENV] = settings.model_dump_json(exclude={"token"})
    os.environ[TOKEN_ENV_ENV] = token_env
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def worker_app() -> FastAPI:
    """The app of one `sitrep serve --workers N` process, from the settings it was given."""
    from sitrep.api.app import Settings, create_app

    settings = Settings.model_validate_json(os.environ[SETTINGS_ENV])
    token = os.environ.get(os.environ.get(TOKEN_ENV_ENV, "SITREP_API_TOKEN"), "") or None
    return create_app(settings.model_copy(update={"token": token}))
