"""`sitrep serve --db URL`: the HTTP API and the dashboard on 127.0.0.1:8000 by default."""

from __future__ import annotations

import click


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
@click.option("--write-rate", default=60, show_default=True, help="Writes per minute per client.")
@click.option(
    "--read-rate", default=None, type=int, help="Reads per minute per client (default: no limit)."
)
def command(
    target: str,
    host: str,
    port: int,
    token_env: str,
    max_body: int,
    write_rate: int,
    read_rate: int | None,
) -> None:
    """Serve the HTTP API and the map-and-timeline dashboard."""
    import os

    import uvicorn

    from sitrep.api.app import Settings, create_app

    settings = Settings(
        db=target,
        token=os.environ.get(token_env) or None,
        max_body_bytes=max_body,
        write_rate_per_minute=write_rate,
        read_rate_per_minute=read_rate,
    )
    app = create_app(settings)
    writes = "on (bearer token set)" if settings.token else "off (no token set)"
    click.echo(f"sitrep: serving {target} on http://{host}:{port}/ — writes {writes}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
