"""`hub email smtp` and `hub email imap-poll`, added to the `hub` command by `init_app`."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("email")
def email_group() -> None:
    """Inbound email: the SMTP listener and the IMAP poller."""


@email_group.command("smtp")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@with_appcontext
def smtp(host: str, port: int) -> None:
    """Listen for inbound email over SMTP (Ctrl-C stops it)."""
    from channels.email.smtp_server import make_controller

    controller = make_controller(current_app._get_current_object(), host, port)  # type: ignore[attr-defined]
    controller.start()
    click.echo(f"Taking inbound email on smtp://{host}:{port}. Ctrl-C stops it.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


@email_group.command("imap-poll")
@click.option("--once", is_flag=True, help="One pass, then stop.")
@click.option("--interval", default=60, show_default=True, help="Seconds between polls.")
@with_appcontext
def imap_poll(once: bool, interval: int) -> None:
    """Take new mail from the configured IMAP mailbox."""
    from channels.email.imap_poll import poll_forever, poll_once

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config["HUB_SETTINGS"].imap_host:
        raise click.ClickException("IMAP_HOST is not set: there is no mailbox to poll.")
    if not once:
        click.echo(f"Polling every {interval} s. Ctrl-C stops it.")
        poll_forever(app, interval)
        return
    try:
        result = poll_once(app)
    except Exception as exc:
        raise click.ClickException(f"the poll failed: {exc}") from None
    click.echo(f"taken {result.taken}, duplicates {result.duplicates}, refused {result.refused}, "
               f"failed {result.failed}")
    if result.failed:
        raise SystemExit(1)
