"""`hub email imap-poll`: take new mail from a mailbox, losing and duplicating nothing.

Each message is read with BODY.PEEK (which does not mark it), stored and committed, and only
then marked as taken (by UID, with the `$HubTaken` keyword and \\Seen). A poll that stops
half-way leaves the rest unmarked for the next poll; a message stored but not yet marked
is recognised by its Message-ID next time and only marked. Python's imaplib has no IDLE,
so the mailbox is polled.
"""
from __future__ import annotations

import email
import imaplib
import logging
import re
import time
from dataclasses import dataclass
from email.policy import default as default_policy

from flask import Flask

from channels.email import intake
from channels.email.outbound import polite_refusal
from hub.config import Settings
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch

log = logging.getLogger(__name__)
TAKEN = "$HubTaken"
_SIZE_RE = re.compile(rb"RFC822\.SIZE (\d+)")


@dataclass
class PollResult:
    taken: int = 0
    duplicates: int = 0
    refused: int = 0
    failed: int = 0


def connect(settings: Settings) -> imaplib.IMAP4:
    if not (settings.imap_host and settings.imap_username):
        raise RuntimeError("IMAP_HOST and IMAP_USERNAME must be set to poll a mailbox")
    if settings.imap_port == 993:
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(settings.imap_host, settings.imap_port, timeout=60)
    else:
        conn = imaplib.IMAP4(settings.imap_host, settings.imap_port, timeout=60)
        if "STARTTLS" in conn.capabilities:
            conn.starttls()
    conn.login(settings.imap_username, settings.imap_password or "")
    return conn


def _fetch(conn: imaplib.IMAP4, uid: bytes, what: str) -> list:  # type: ignore[type-arg]
    typ, data = conn.uid("FETCH", uid, what)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"FETCH {what} failed")
    return data


def _literal(data: list) -> bytes:  # type: ignore[type-arg]
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    raise imaplib.IMAP4.error("no message body in the FETCH answer")


def _take_one(conn: imaplib.IMAP4, uid: bytes, result: PollResult) -> None:
    size_data = _fetch(conn, uid, "(RFC822.SIZE)")
    match = _SIZE_RE.search(b" ".join(x if isinstance(x, bytes) else x[0] for x in size_data if x))
    if match and int(match.group(1)) > intake.MAX_MESSAGE_BYTES:
        headers = email.message_from_bytes(_literal(_fetch(conn, uid, "(BODY.PEEK[HEADER])")), policy=default_policy)
        polite_refusal(headers, "it is larger than the 10 MB we can accept")  # type: ignore[arg-type]
        log.warning("imap message refused: too large", extra={"uid": uid.decode(), "size": int(match.group(1))})
        result.refused += 1
        return
    raw = _literal(_fetch(conn, uid, "(BODY.PEEK[])"))
    outcome = intake.receive(raw, via="imap")
    if outcome.stored:
        commit_and_dispatch()
        result.taken += 1
    else:
        get_session().rollback()
        if outcome.kind == "duplicate":
            result.duplicates += 1
        else:
            log.warning("imap message refused", extra={"uid": uid.decode(), "reason": outcome.reason})
            result.refused += 1


def poll_once(app: Flask) -> PollResult:
    """One pass over the folder; a message that fails is left unmarked and retried next time."""
    settings: Settings = app.config["HUB_SETTINGS"]
    result = PollResult()
    conn = connect(settings)
    try:
        typ, _ = conn.select(settings.imap_folder)
        if typ != "OK":
            raise RuntimeError(f"cannot open the IMAP folder {settings.imap_folder!r}")
        flags = (conn.response("PERMANENTFLAGS")[1] or [b""])[0] or b""
        use_keyword = b"\\*" in flags
        criteria = ("UNKEYWORD", TAKEN) if use_keyword else ("UNSEEN",)
        typ, data = conn.uid("SEARCH", None, *criteria)
        uids = (data[0] or b"").split() if typ == "OK" else []
        mark = f"(\\Seen {TAKEN})" if use_keyword else "(\\Seen)"
        for uid in uids:
            with app.app_context():
                try:
                    _take_one(conn, uid, result)
                except (imaplib.IMAP4.abort, OSError):
                    get_session().rollback()
                    raise  # the connection is gone: stop, the rest waits for the next poll
                except Exception:
                    get_session().rollback()
                    result.failed += 1
                    log.exception("imap message not stored; it stays in the mailbox",
                                  extra={"uid": uid.decode()})
                    continue
            # Only after the commit: a crash before this line means a harmless re-read.
            conn.uid("STORE", uid, "+FLAGS", mark)
    finally:
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    log.info("imap poll done", extra=vars(result))
    return result


def poll_forever(app: Flask, interval: int) -> None:
    while True:
        try:
            poll_once(app)
        except (imaplib.IMAP4.error, OSError, RuntimeError) as exc:
            log.warning("imap poll failed: %s", exc)
        time.sleep(interval)
