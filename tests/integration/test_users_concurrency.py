"""Two admins adding the same email at the same moment: one account, and a form error (not a 500)."""
import threading
import time

from sqlalchemy import event, func, insert, select, text

from fixtures.staff import PASSWORD, csrf_token
from hub.adviser.models import AuditLog
from hub.db import get_engine, get_session
from hub.users.models import User

TAKEN = "An account with this email already exists"


def _accounts(email):
    sess = get_session()
    sess.expire_all()
    return sess.scalars(select(User).where(User.email == email)).all()


def test_an_email_claimed_between_the_check_and_the_insert_is_a_form_error(app, adviser_client, caplog):
    """The rival's row is committed on another connection just before our INSERT, after our
    check found the email free: the database's unique email decides."""
    admin_client, admin = adviser_client("boss@example.org", ("HUB",), role="admin")
    token = csrf_token(admin_client, "/adviser/admin/users/new")

    def rival_commits_first(_mapper, _connection, target):
        if target.email == "race@example.org":
            with get_engine().begin() as conn:
                conn.execute(insert(User).values(email="race@example.org", name="Rival", password_hash="x",
                                                 role="manager"))

    event.listen(User, "before_insert", rival_commits_first)
    try:
        response = admin_client.post("/adviser/admin/users/new", data={
            "csrf_token": token, "email": "race@example.org", "password": PASSWORD, "role": "adviser",
            "authorities": ["WCITY"], "active": "y"})
    finally:
        event.remove(User, "before_insert", rival_commits_first)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error"' in page and TAKEN in page  # against the email field, in the summary too
    assert [(u.name, u.role) for u in _accounts("race@example.org")] == [("Rival", "manager")]
    assert get_session().scalar(select(func.count()).select_from(AuditLog)
                                .where(AuditLog.action == "create_user", AuditLog.user_id == admin.id)) == 0
    assert any(getattr(r, "reason", None) == "email taken by a concurrent creation" for r in caplog.records)
    assert admin_client.get("/adviser/admin/users").status_code == 200  # the admin's session still works


def _wait_for_a_lock_waiter(timeout=20.0):
    """Until another transaction waits on a row lock (the second INSERT on our unique email)."""
    deadline = time.monotonic() + timeout
    with get_engine().connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                        " AND wait_event_type = 'Lock'")).scalar_one()
            conn.commit()  # pg_stat_activity is a snapshot per transaction
            if waiting:
                return True
            time.sleep(0.02)
    return False


def test_two_admins_adding_the_same_email_at_once_on_postgresql(pg_app, caplog):
    """Real concurrent transactions: the second admin's check runs while the first admin's new
    account is still uncommitted, so it passes; its INSERT then waits on the first, and fails."""
    from hub.users import service

    first_admin = service.add_user("a1@example.org", PASSWORD, "admin", ["HUB"])
    second_admin = service.add_user("a2@example.org", PASSWORD, "admin", ["HUB"])
    get_session().commit()
    inserted = threading.Event()
    outcome: dict[str, object] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with pg_app.app_context():  # its own session and transaction
                service.create_user("same@example.org", PASSWORD, "adviser", ["WCITY"], name="First",
                                    by=service.ChangedBy(user_id=first_admin.id))
                inserted.set()
                outcome["second was waiting"] = _wait_for_a_lock_waiter()
                get_session().commit()
        except BaseException as exc:  # surfaced in the main thread
            inserted.set()
            errors.append(exc)

    def second() -> None:
        try:
            with pg_app.app_context():
                inserted.wait(20)
                try:
                    service.create_user("same@example.org", PASSWORD, "manager", ["WCC"], name="Second",
                                        by=service.ChangedBy(user_id=second_admin.id))
                except service.EmailTaken as exc:
                    outcome["second"] = str(exc)
                else:
                    get_session().commit()
                    outcome["second"] = "created"
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert outcome["second was waiting"] is True
    assert str(outcome["second"]).startswith(TAKEN)
    assert [u.name for u in _accounts("same@example.org")] == ["First"]
    creators = get_session().scalars(select(AuditLog.user_id).where(AuditLog.action == "create_user",
                                                                    AuditLog.user_id.is_not(None))).all()
    assert creators == [first_admin.id]
    assert any(getattr(r, "reason", None) == "email taken by a concurrent creation" for r in caplog.records)
