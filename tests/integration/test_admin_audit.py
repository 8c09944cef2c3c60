"""Admin changes to staff accounts are written to the audit log, with the change, in one transaction."""
import json

import pyotp
from sqlalchemy import select

from fixtures.staff import PASSWORD, csrf_token
from hub.adviser.models import AuditLog
from hub.db import get_session


def _rows(action=None):
    stmt = select(AuditLog).where(AuditLog.case_id.is_(None)).order_by(AuditLog.id)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    sess = get_session()
    sess.expire_all()
    return sess.scalars(stmt).all()


def test_every_admin_change_to_an_account_is_audited_without_secrets(app, adviser_client, make_user):
    admin_client, admin = adviser_client("boss@example.org", ("HUB",), role="admin")
    token = csrf_token(admin_client, "/adviser/admin/users/new")
    assert admin_client.post("/adviser/admin/users/new", data={
        "csrf_token": token, "email": "New@Example.org", "password": PASSWORD, "role": "adviser",
        "authorities": ["WCITY", "WCC"], "active": "y", "name": "New Person"}).status_code == 302
    from hub.users.queries import get_by_email

    new = get_by_email("new@example.org")
    created = _rows("create_user")[-1]
    assert (created.user_id, created.target_user_id, created.ip) == (admin.id, new.id, "127.0.0.1")
    assert created.detail == {"email": "new@example.org", "role": "adviser", "councils": ["WCC", "WCITY"],
                              "active": True, "name": "New Person", "via": "admin screen"}

    # role up, one council swapped, sign-in taken away (the checkbox left unticked)
    assert admin_client.post(f"/adviser/admin/users/{new.id}", data={
        "csrf_token": token, "role": "manager", "authorities": ["WCITY", "MHDC"],
        "name": "New Person"}).status_code == 302
    [updated] = _rows("update_user")
    assert (updated.user_id, updated.target_user_id) == (admin.id, new.id)
    assert updated.detail == {"role": {"from": "adviser", "to": "manager"},
                              "councils": {"added": ["MHDC"], "removed": ["WCC"]},
                              "active": {"from": True, "to": False}, "via": "admin screen"}
    # saving the same values again changes nothing and records nothing
    assert admin_client.post(f"/adviser/admin/users/{new.id}", data={
        "csrf_token": token, "role": "manager", "authorities": ["WCITY", "MHDC"],
        "name": "New Person"}).status_code == 302
    assert len(_rows("update_user")) == 1

    # a second factor reset: the fact of it, never the secret
    secret = pyotp.random_base32()
    holder = make_user("totp@example.org", "adviser", ("WCITY",))
    holder.totp_secret = secret
    get_session().commit()
    assert admin_client.post(f"/adviser/admin/users/{holder.id}/reset-totp",
                             data={"csrf_token": token}).status_code == 302
    [reset] = _rows("reset_totp")
    assert (reset.user_id, reset.target_user_id) == (admin.id, holder.id)
    assert reset.detail == {"had_second_factor": True, "was_locked": False, "via": "admin screen"}

    # a council's second-factor policy changes every account of that council at once
    assert admin_client.post("/adviser/admin/councils", data={"csrf_token": token,
                                                              "require_totp": ["WCITY"]}).status_code == 302
    [policy] = _rows("set_policy")
    assert (policy.user_id, policy.target_user_id) == (admin.id, None)
    assert policy.detail == {"require_totp": {"added": ["WCITY"], "removed": []}, "via": "admin screen"}

    stored = json.dumps([r.detail for r in _rows()])
    new_hash = get_by_email("new@example.org").password_hash
    for secret_value in (PASSWORD, new_hash, new_hash.split("$")[-1], secret):
        assert secret_value not in stored


def test_the_audit_row_commits_and_rolls_back_with_the_change(app, make_user):
    """Both in the caller's unit of work: a change that is rolled back leaves no audit row, and
    an audit row never exists without its change."""
    from hub.users import service
    from hub.users.queries import get_by_email

    admin = make_user("admin2@example.org", "admin", ("HUB",))
    sess = get_session()
    by = service.ChangedBy(user_id=admin.id, ip="192.0.2.1")
    user = service.create_user("ghost@example.org", PASSWORD, "adviser", ["WCC"], by=by)
    assert [r.target_user_id for r in _rows("create_user") if r.user_id == admin.id] == [user.id]  # flushed
    sess.rollback()
    assert get_by_email("ghost@example.org") is None
    assert [r for r in _rows("create_user") if r.user_id == admin.id] == []

    target = make_user("kept@example.org", "adviser", ("WCC",))
    service.update_user(target.id, role="manager", authorities=["WCC"], active=True, name="", by=by)
    sess.rollback()
    assert _rows("update_user") == [] and get_by_email("kept@example.org").role == "adviser"
    service.update_user(target.id, role="manager", authorities=["WCC"], active=True, name="", by=by)
    sess.commit()
    assert [(r.target_user_id, r.detail["role"]) for r in _rows("update_user")] == \
        [(target.id, {"from": "adviser", "to": "manager"})]


def test_a_refused_change_leaves_no_audit_row(app, adviser_client, make_user):
    admin_client, _ = adviser_client("boss3@example.org", ("HUB",), role="admin")
    target = make_user("someone@example.org", "adviser", ("WCC",))
    token = csrf_token(admin_client, f"/adviser/admin/users/{target.id}")
    refused = admin_client.post(f"/adviser/admin/users/{target.id}", data={
        "csrf_token": token, "role": "manager", "authorities": ["NOPE"], "active": "y"})
    assert refused.status_code == 400
    assert _rows("update_user") == []


def test_accounts_changed_from_the_command_line_are_audited(run_cli):
    add = ("users", "add", "ops@example.org", "--role", "adviser", "--authority", "WCC")
    assert run_cli(*add, input="a-first-long-password\n").exit_code == 0
    [created] = _rows("create_user")
    assert (created.user_id, created.ip, created.detail["via"]) == (None, None, "command line")
    assert created.detail["role"] == "adviser" and created.detail["councils"] == ["WCC"]

    assert run_cli(*add, input="a-first-long-password\n").exit_code == 0  # the same again: nothing changed
    assert _rows("update_user") == []
    result = run_cli("users", "add", "ops@example.org", "--role", "manager", "--authority", "WCC",
                     input="a-second-long-password\n")
    assert result.exit_code == 0, result.output
    [updated] = _rows("update_user")
    assert updated.target_user_id == created.target_user_id
    assert updated.detail == {"role": {"from": "adviser", "to": "manager"}, "password": "reset",
                              "via": "command line"}
    assert "a-second-long-password" not in json.dumps(updated.detail)


def test_an_accounts_changes_are_listed_on_its_page(adviser_client, make_user):
    admin_client, _ = adviser_client("boss4@example.org", ("HUB",), role="admin")
    target = make_user("listed@example.org", "adviser", ("WCC",))
    token = csrf_token(admin_client, f"/adviser/admin/users/{target.id}")
    assert admin_client.post(f"/adviser/admin/users/{target.id}", data={
        "csrf_token": token, "role": "manager", "authorities": ["WCC"], "active": "y"}).status_code == 302
    page = admin_client.get(f"/adviser/admin/users/{target.id}").get_data(as_text=True)
    assert "boss4@example.org" in page and "role: adviser → manager" in page
    assert "command line" in page  # the account's creation by make_user (hub users add)
