"""`hub demo seed`: the history that makes the queue and reports look real on first run."""
import datetime as dt

from sqlalchemy import case as when, func, select

from hub.cases.models import Case, CaseEvent, Message
from hub.citizens.models import Citizen
from hub.db import session
from hub.demo.people import ADMIN_EMAIL, DEMO_PASSWORD
from hub.partnership.routing import route
from hub.partnership.service import current
from hub.users.models import User
from hub.users.service import verify_password

CHANNELS = {"web", "sms", "email", "api", "phone", "face_to_face"}
PARTNER_COUNCILS = ("WCC", "WCITY", "MHDC")


def _seed(run_cli):
    result = run_cli("demo", "seed")
    assert result.exit_code == 0, result.output
    return result.output


def _assisted_share(since, until):
    assisted = func.sum(when((Case.channel.in_(("phone", "face_to_face")), 1), else_=0))
    got, total = session.execute(select(assisted, func.count()).where(Case.created_at >= since,
                                                                    Case.created_at < until)).one()
    return got / total


def test_seed_builds_a_realistic_history(run_cli):
    output = _seed(run_cli)
    assert "Demo sign-ins" in output and DEMO_PASSWORD in output and "adviser.wcc@demo.hub.example.org" in output

    total = session.scalar(select(func.count()).select_from(Case))
    assert 3500 <= total <= 5500
    assert set(session.scalars(select(Case.channel).distinct())) == CHANNELS
    assert session.scalar(select(func.count()).select_from(Message)) > total
    kinds = set(session.scalars(select(CaseEvent.kind).distinct()))
    assert {"received", "triaged", "resolved", "transferred"} <= kinds

    # Channel shift: phone and face-to-face fall from about 60% to about 30%.
    first, last = session.execute(select(func.min(Case.created_at), func.max(Case.created_at))).one()
    early = _assisted_share(first, first + dt.timedelta(weeks=4))
    late = _assisted_share(last - dt.timedelta(weeks=4), last + dt.timedelta(seconds=1))
    assert early > 0.5 and late < 0.4 and early - late > 0.15

    # Every case is where routing says it belongs (needs_info cases wait for a postcode).
    doc = current()
    for service, postcode, authority in session.execute(select(Case.service_code, Case.postcode, Case.authority_code)):
        assert route(doc, doc.service(service), postcode).authority_code == authority, (service, postcode)

    # A realistic queue now, for every partner council, some urgent, some breached.
    queue = select(Case).where(Case.status.in_(("open", "in_progress")))
    open_cases = session.scalars(queue).all()
    assert 100 <= len(open_cases) <= 600
    assert {c.authority_code for c in open_cases} >= set(PARTNER_COUNCILS)
    now = dt.datetime.now(dt.timezone.utc)
    assert any(c.sla_due_at < now for c in open_cases)
    assert any(c.assigned_to_id is None for c in open_cases)
    assert session.scalar(select(func.count()).select_from(Case).where(Case.priority == 0)) > 0

    # Self-service is recorded as such; assisted contacts never are.
    assert session.scalar(select(func.count()).select_from(Case).where(Case.self_served.is_(True))) > 500
    assert session.scalar(select(func.count()).select_from(Case).where(
        Case.self_served.is_(True), Case.channel.in_(("phone", "face_to_face")))) == 0

    # Citizens use reserved contact details only.
    phones = set(session.scalars(select(Citizen.phone).where(Citizen.phone.is_not(None))))
    assert phones and all(p.startswith("+447700900") and p != "+447700900100" for p in phones)
    emails = session.scalars(select(Citizen.email).where(Citizen.email.is_not(None)))
    assert all(e.endswith(("@example.org", "@example.com")) for e in emails)

    admin = session.scalars(select(User).where(User.email == ADMIN_EMAIL)).one()
    assert admin.role == "admin" and verify_password(admin, DEMO_PASSWORD)
    assert session.scalar(select(func.count()).select_from(User)) == 8


def test_second_run_adds_nothing(run_cli):
    _seed(run_cli)

    def counts():
        return [session.scalar(select(func.count()).select_from(m)) for m in (Case, Message, CaseEvent, Citizen, User)]

    before = counts()
    output = _seed(run_cli)
    assert counts() == before
    assert "nothing was added" in output and "admin@demo.hub.example.org" in output


def test_refused_in_production(database_url, new_app):
    from hub.cli import main

    prod = new_app(database_url, HUB_ENV="production", SECRET_KEY="x" * 64)
    with prod.app_context():
        result = prod.test_cli_runner().invoke(main, ["demo", "seed"])
        assert result.exit_code == 1
        assert "HUB_ENV=production" in result.output
        assert session.scalar(select(func.count()).select_from(User)) == 0
        assert session.scalar(select(func.count()).select_from(Case)) == 0
