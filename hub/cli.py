"""The `hub` command: the same as `flask --app hub`, with the hub's own commands.

Each command is one unit of work with one commit at its end.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from hub.app import create_app
from hub.config import ConfigError
from hub.partnership.models import CHANNELS as CASE_CHANNELS


def _create() -> Any:
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_create, add_default_commands=True)
def main() -> None:
    """The shared contact hub (the same commands as `flask --app hub`)."""


def register_commands(app: Any) -> None:
    """Put the hub's commands on the app, so `hub X` and `flask --app hub X` are the same."""
    for command in (db_group, partnership_group, users_group, demo_group, serve, worker, sweep_command,
                    cases_group, triage, triage_model_group):
        app.cli.add_command(command)


# -- database -------------------------------------------------------------------------
@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations."""
    from hub.migrate import upgrade

    upgrade(revision)
    click.echo(f"database at {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Revert migrations to REVISION."""
    from hub.migrate import downgrade

    downgrade(revision)


# -- partnership ----------------------------------------------------------------------
@click.group("partnership")
def partnership_group() -> None:
    """The partnership: councils, services, places."""


@partnership_group.command("load")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def partnership_load(path: str) -> None:
    """Validate and load (or update) a partnership YAML file."""
    from hub.db import get_session
    from hub.partnership.schema import PartnershipError
    from hub.partnership.service import load

    try:
        doc = load(path)
    except PartnershipError as exc:
        get_session().rollback()
        click.echo(f"Refused {path}; nothing was changed:", err=True)
        for field, reason in exc.problems:
            click.echo(f"  {field}: {reason}", err=True)
        sys.exit(1)
    get_session().commit()
    click.echo(f"Loaded {doc.partnership.name}: {len(doc.authorities)} authorities, "
               f"{len(doc.services)} services, {len(doc.postcode_sectors)} postcode sectors.")


# -- users ----------------------------------------------------------------------------
@click.group("users")
def users_group() -> None:
    """Staff accounts."""


@users_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["adviser", "manager", "admin"]), required=True)
@click.option("--authority", "authorities", multiple=True, required=True, help="Council code; repeat for several.")
@click.option("--name", default="")
@with_appcontext
def users_add(email: str, role: str, authorities: tuple[str, ...], name: str) -> None:
    """Add a user (or update their role and councils); the password is read from standard input."""
    from hub.db import get_session
    from hub.users.service import UserError, add_user

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = add_user(email, password, role, list(authorities), name=name)
    except UserError as exc:
        get_session().rollback()
        raise click.ClickException(str(exc)) from None
    get_session().commit()
    click.echo(f"{user.email}: {user.role} for {', '.join(sorted(user.authority_codes))}")


# -- demo -----------------------------------------------------------------------------
@click.group("demo")
def demo_group() -> None:
    """Demonstration data."""


@demo_group.command("seed")
@click.option("--weeks", default=12, show_default=True)
@with_appcontext
def demo_seed(weeks: int) -> None:
    """Demo sign-ins and a realistic history of contacts (idempotent; refused in production)."""
    from hub.db import get_session
    from hub.demo.seed import DemoRefused, seed

    try:
        for line in seed(weeks=weeks):
            click.echo(line)
    except DemoRefused as exc:
        get_session().rollback()
        raise click.ClickException(str(exc)) from None
    get_session().commit()


# -- serving and jobs -----------------------------------------------------------------
@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int) -> None:
    """Serve the web app (jobs run in-process when REDIS_URL is unset, swept every minute)."""
    from werkzeug.serving import run_simple

    from hub.jobs.background import Sweeper

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    in_process = not app.config["HUB_SETTINGS"].redis_url
    mode = "in-process jobs, swept every minute" if in_process else "RQ on " + app.config["HUB_SETTINGS"].redis_url
    click.echo(f"Serving the hub on http://{host}:{port} ({mode}). Ctrl-C stops it.")
    # No worker and no cron in the embedded set-up: this process sweeps for itself.
    sweeper = Sweeper(app).start() if in_process else None
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if sweeper is not None:
            sweeper.stop()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """An RQ worker for all of the hub's queues (sweeps left-behind jobs first)."""
    from rq import Worker

    from hub.jobs import rq_backend
    from hub.jobs.dispatch import sweep

    if not current_app.config["HUB_SETTINGS"].redis_url:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker is needed.")
    # The usual rule, not "everything": jobs already in a queue or running on another
    # worker must not be sent again.
    swept = sweep()
    click.echo(f"re-dispatched {swept} left-behind jobs")
    Worker(rq_backend.all_queues(), connection=rq_backend.connection()).work(burst=burst, with_scheduler=True)


@click.command("sweep")
@click.option("--older-than", default=60, show_default=True, help="Seconds a never-dispatched job may wait before it is swept.")
@with_appcontext
def sweep_command(older_than: int) -> None:
    """Re-dispatch jobs left in the outbox, and escalate cases whose citizen never answered.

    Run it every few minutes (cron or a systemd timer) with RQ; `hub serve` without
    REDIS_URL runs it itself every minute.
    """
    from hub.jobs.background import sweep_all

    swept, stale = sweep_all(older_than=dt.timedelta(seconds=older_than))
    click.echo(f"re-dispatched {swept} jobs")
    click.echo(f"escalating {stale} unanswered cases")


# -- cases ----------------------------------------------------------------------------
@click.group("cases")
def cases_group() -> None:
    """Read cases, for scripts and operators."""


def _iso(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
        # In UTC inside the try: 9999-12-31T23:00:00-05:00 has no UTC equivalent.
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        raise click.BadParameter(f"not an ISO 8601 date or time in years 1 to 9999: {value!r}") from None


@cases_group.command("list")
@click.option("--since")
@click.option("--before", help="Only cases created before this ISO 8601 time (to page back).")
@click.option("--channel", type=click.Choice(CASE_CHANNELS))
@click.option("--authority")
@click.option("--limit", type=click.IntRange(1, 10_000), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON output (the only format for now).")
@with_appcontext
def cases_list(since: str | None, before: str | None, channel: str | None, authority: str | None, limit: int,
               as_json: bool) -> None:
    """List cases, newest first, as a JSON array (at most --limit; a warning says when cut)."""
    from hub.cases.export import case_summary
    from hub.cases.queries import list_cases

    require_current_database()
    rows = list(list_cases(since=_iso(since), before=_iso(before), channel=channel, authority=authority,
                           limit=limit + 1))
    if len(rows) > limit:
        rows = rows[:limit]
        click.echo(f"warning: only the {limit} newest cases are listed; for older ones use "
                   f"--before {rows[-1].created_at.isoformat()}", err=True)
    click.echo(json.dumps([case_summary(c) for c in rows], indent=None if as_json else 2))


@cases_group.command("show")
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def cases_show(reference: str, as_json: bool) -> None:
    """One case with its messages and events, as a JSON object."""
    from hub import references
    from hub.cases.export import case_detail
    from hub.cases.queries import get_case_by_reference

    require_current_database()
    ref = references.normalise(reference)
    case = get_case_by_reference(ref) if ref else None
    if case is None:
        raise click.ClickException(f"no case with reference {reference!r}")
    click.echo(json.dumps(case_detail(case), indent=None if as_json else 2))


# -- triage ---------------------------------------------------------------------------
@click.command("triage")
@click.argument("text", required=False)
@click.option("--channel", type=click.Choice(["sms", "email", "web"]), default="web")
@click.option("--postcode")
@click.option("--at", "at_text", help="ISO 8601 time to decide as of (for date-dependent answers).")
@click.option("--jsonl", "jsonl", type=click.File("r"), help="One JSON object per line: text, channel, postcode, at, id.")
@with_appcontext
def triage(text: str | None, channel: str, postcode: str | None, at_text: str | None, jsonl: Any) -> None:
    """Dry run of triage: classify, route and decide; change nothing; print JSON lines."""
    from hub.triage.dryrun import parse_at, run_batch, run_one

    if jsonl is None and not text:
        raise click.UsageError("give TEXT or --jsonl FILE")
    require_current_database()
    if jsonl is not None:
        for line in run_batch(jsonl):
            click.echo(line)
        return
    try:
        at = parse_at(at_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc).replace("'at'", "--at"), param_hint="--at") from None
    click.echo(run_one(text or "", channel=channel, postcode=postcode, at=at))


def require_current_database() -> None:
    """Stop with what to run when the database is not migrated (workflows read open cases)."""
    from hub.migrate import behind

    why = behind()
    if why:
        raise click.ClickException(f"{why}: run `hub db upgrade` first.")


# -- triage model ---------------------------------------------------------------------
@click.group("triage-model")
def triage_model_group() -> None:
    """The triage classifiers: build them, and measure them on a labelled set."""


@triage_model_group.command("build")
@click.option("--output", type=click.Path(file_okay=False), help="Directory to write to (default: instance/).")
@with_appcontext
def triage_model_build(output: str | None) -> None:
    """Train on the partnership, the training set and advisers' corrections; save under instance/."""
    from pathlib import Path

    from hub.partnership.service import current
    from hub.triage import model
    from hub.triage.service import corrections

    rows = model.training_rows(current(), corrections())
    path = model.save(model.build(rows), Path(output or current_app.instance_path))
    click.echo(f"triage model built from {len(rows)} examples: {path}")


@triage_model_group.command("crossval")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option("--train", "train_path", type=click.Path(exists=True, dir_okay=False),
              help="Labelled JSONL to cross-validate (default: the hub's training set).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@with_appcontext
def triage_model_crossval(folds: int, train_path: str | None, as_json: bool) -> None:
    """The evaluation's figures by k-fold cross-validation on the training set (for tuning)."""
    from pathlib import Path

    from hub.partnership.service import current
    from hub.triage import model
    from hub.triage.evaluate import cross_validate, format_report
    from hub.triage.service import build_pipeline

    require_current_database()
    doc = current()
    items = model.read_jsonl(Path(train_path) if train_path else model.TRAIN_FILE)
    report = cross_validate(lambda rest: build_pipeline(doc, extra=[], use_saved=False, train=rest), items, folds)
    click.echo(json.dumps(report.as_dict()) if as_json else format_report(report))


@triage_model_group.command("evaluate")
@click.argument("path", type=click.File("r"))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--no-rules", is_flag=True, help="Score against the labels exactly as written (no relabel rules).")
@with_appcontext
def triage_model_evaluate(path: Any, as_json: bool, no_rules: bool) -> None:
    """Service, authority and disposition accuracy and safeguarding recall on a labelled JSONL file."""
    from hub.triage.evaluate import evaluate, format_report
    from hub.triage.service import pipeline

    require_current_database()
    report = evaluate(pipeline(), path, apply_rules=not no_rules)
    click.echo(json.dumps(report.as_dict()) if as_json else format_report(report))


