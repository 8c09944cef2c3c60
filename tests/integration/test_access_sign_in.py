"""Sign-in hardening: lockout and rate limits (429), a second factor per council, idle expiry."""
import datetime as dt

import pyotp

from fixtures.staff import PASSWORD, csrf_token
from hub.db import get_session


def _attempt(client, email, password, ip="192.0.2.10"):
    return client.post("/adviser/sign-in", data={"email": email, "password": password,
                                                 "csrf_token": csrf_token(client, "/adviser/sign-in")},
                       environ_base={"REMOTE_ADDR": ip})


def test_repeated_failures_lock_the_account(anon_client, make_user):
    user = make_user("lock@example.org")
    for n in range(5):
        assert _attempt(anon_client, user.email, "wrong-password-123", ip=f"192.0.2.{n}").status_code == 400
    locked = _attempt(anon_client, user.email, PASSWORD, ip="192.0.2.99")  # right password, other address
    assert locked.status_code == 429 and "Too many failed sign-in attempts" in locked.get_data(as_text=True)
    sess = get_session()
    sess.expire_all()
    assert sess.get(type(user), user.id).failed_sign_ins == 5
    # after the lock runs out, the right password works and the counter resets
    from sqlalchemy import update

    from hub.db import utcnow

    sess.execute(update(type(user)).where(type(user).id == user.id).values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    sess.commit()
    assert _attempt(anon_client, user.email, PASSWORD).status_code == 302
    sess.expire_all()
    assert sess.get(type(user), user.id).failed_sign_ins == 0


def test_one_address_trying_many_accounts_is_rate_limited(anon_client, make_user):
    user = make_user("real@example.org")
    for n in range(20):
        assert _attempt(anon_client, f"guess{n}@example.org", "whatever-123456").status_code == 400
    assert _attempt(anon_client, user.email, PASSWORD).status_code == 429
    assert _attempt(anon_client, user.email, PASSWORD, ip="198.51.100.7").status_code == 302


def test_the_address_brake_is_shared_by_every_web_process(app, database_url, new_app, anon_client, make_user):
    """Production runs several web processes: failures from one address count in all of them."""
    from fixtures.adviser import RequestScopedClient

    user = make_user("shared@example.org")
    other = new_app(database_url)  # a second web process on the same database
    clients = [anon_client, RequestScopedClient(other, other.response_class, use_cookies=True)]
    for n in range(20):  # ten failures in each process: neither alone reaches the limit
        assert _attempt(clients[n % 2], f"guess{n}@example.org", "whatever-123456").status_code == 400
    for client in clients:
        refused = _attempt(client, user.email, PASSWORD)
        assert refused.status_code == 429 and "Too many failed sign-in attempts" in refused.get_data(as_text=True)
    assert _attempt(clients[1], user.email, PASSWORD, ip="198.51.100.8").status_code == 302  # other addresses


def test_the_address_brake_expires_after_its_window(app, anon_client, make_user):
    from fixtures.adviser import RequestScopedClient
    from sqlalchemy import func, select, update

    from hub.auth.service import IP_WINDOW
    from hub.db import utcnow
    from hub.users.models import SignInFailure

    user = make_user("patient@example.org")
    for n in range(20):
        assert _attempt(anon_client, f"guess{n}@example.org", "whatever-123456").status_code == 400
    assert _attempt(anon_client, user.email, PASSWORD).status_code == 429
    sess = get_session()
    sess.execute(update(SignInFailure).values(at=utcnow() - IP_WINDOW - dt.timedelta(seconds=1)))
    sess.commit()  # as if the window had passed
    assert _attempt(anon_client, user.email, PASSWORD).status_code == 302
    fresh = RequestScopedClient(app, app.response_class, use_cookies=True)
    assert _attempt(fresh, "guess@example.org", "whatever-123456").status_code == 400
    sess.expire_all()
    # the expired failures were pruned when the new one was counted
    assert sess.scalar(select(func.count()).select_from(SignInFailure)) == 1


def test_a_council_can_require_a_second_factor(app, anon_client, make_user, adviser_client):
    admin_client, _ = adviser_client("admin@example.org", ("HUB",), role="admin")
    token = csrf_token(admin_client, "/adviser/admin/users")
    assert admin_client.post("/adviser/admin/councils", data={"csrf_token": token,
                                                              "require_totp": ["WCITY"]}).status_code == 302
    user = make_user("two@example.org", "adviser", ("WCITY",))
    response = _attempt(anon_client, user.email, PASSWORD)
    assert response.headers["Location"] == "/adviser/sign-in/code"
    assert anon_client.get("/adviser/").status_code == 302  # not signed in yet
    page = anon_client.get("/adviser/sign-in/code").get_data(as_text=True)
    secret = page.split('class="secret">')[1].split("<")[0]
    token = csrf_token(anon_client, "/adviser/sign-in/code")
    assert anon_client.post("/adviser/sign-in/code", data={"code": "000000", "csrf_token": token}).status_code == 400
    ok = anon_client.post("/adviser/sign-in/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert ok.status_code == 302 and ok.headers["Location"] == "/adviser/"
    assert anon_client.get("/adviser/").status_code == 200
    sess = get_session()
    sess.expire_all()
    stored = sess.get(type(user), user.id)
    assert stored.totp_secret == secret
    # an admin resets a lost authenticator
    token = csrf_token(admin_client, f"/adviser/admin/users/{user.id}")
    assert admin_client.post(f"/adviser/admin/users/{user.id}/reset-totp", data={"csrf_token": token}).status_code == 302
    sess.expire_all()
    assert sess.get(type(user), user.id).totp_secret is None


def test_admin_adds_deactivates_and_changes_users(app, adviser_client, anon_client):
    admin_client, _ = adviser_client("boss@example.org", ("HUB",), role="admin")
    token = csrf_token(admin_client, "/adviser/admin/users/new")
    response = admin_client.post("/adviser/admin/users/new", data={
        "csrf_token": token, "email": "new@example.org", "password": PASSWORD, "role": "adviser",
        "authorities": ["WCITY", "WCC"], "active": "y", "name": "New Person"})
    assert response.status_code == 302
    from hub.users.queries import get_by_email

    new = get_by_email("new@example.org")
    assert new.authority_codes == {"WCITY", "WCC"}
    assert _attempt(anon_client, "new@example.org", PASSWORD).status_code == 302
    response = admin_client.post(f"/adviser/admin/users/{new.id}", data={
        "csrf_token": token, "role": "manager", "authorities": ["MHDC"], "name": "New Person"})
    assert response.status_code == 302
    get_session().expire_all()
    new = get_by_email("new@example.org")
    assert (new.role, new.active, new.authority_codes) == ("manager", False, {"MHDC"})
    assert anon_client.get("/adviser/").status_code == 302  # deactivated: the session no longer works
    assert "new@example.org" in admin_client.get("/adviser/admin/users").get_data(as_text=True)
    bad = admin_client.post("/adviser/admin/users/new", data={"csrf_token": token, "email": "x@example.org",
                                                              "password": "short", "role": "adviser",
                                                              "authorities": ["WCITY"]})
    assert bad.status_code == 400


def test_adding_a_person_never_takes_over_an_existing_account(app, adviser_client, anon_client, make_user, caplog):
    """The admin form only adds: an email with an account is refused, its password, role and councils kept."""
    from hub.users.queries import get_by_email

    existing = make_user("manager.wcc@example.org", "manager", ("WCC",))
    old_hash = existing.password_hash
    admin_client, _ = adviser_client("boss2@example.org", ("HUB",), role="admin")
    token = csrf_token(admin_client, "/adviser/admin/users/new")
    for email in ("manager.wcc@example.org", " Manager.WCC@Example.org "):
        response = admin_client.post("/adviser/admin/users/new", data={
            "csrf_token": token, "email": email, "password": "another-password-123", "role": "adviser",
            "authorities": ["WCITY"], "active": "y"})
        assert response.status_code == 400
        assert "An account with this email already exists" in response.get_data(as_text=True)
    get_session().expire_all()
    kept = get_by_email("manager.wcc@example.org")
    assert (kept.role, kept.authority_codes, kept.password_hash) == ("manager", {"WCC"}, old_hash)
    assert _attempt(anon_client, "manager.wcc@example.org", "another-password-123").status_code == 400
    assert any(r.getMessage() == "account creation refused" for r in caplog.records)


def test_hub_users_add_still_adds_or_updates(run_cli, make_user):
    make_user("ops@example.org", "adviser", ("WCC",))
    result = run_cli("users", "add", "ops@example.org", "--role", "manager", "--authority", "MHDC",
                     input="a-new-long-password\n")
    assert result.exit_code == 0, result.output
    from hub.users.queries import get_by_email

    get_session().expire_all()
    assert (get_by_email("ops@example.org").role, get_by_email("ops@example.org").authority_codes) == ("manager", {"MHDC"})


def test_an_idle_session_expires(app, adviser_client):
    client, _ = adviser_client("idle@example.org", ("WCITY",))
    assert client.get("/adviser/").status_code == 200
    app.config["HUB_IDLE_TIMEOUT"] = dt.timedelta(seconds=0)
    import time

    time.sleep(0.01)
    assert client.get("/adviser/").status_code == 302
    app.config["HUB_IDLE_TIMEOUT"] = dt.timedelta(minutes=30)
    assert client.get("/adviser/").status_code == 302  # still signed out


def test_a_session_ends_after_its_lifetime_however_active(app, adviser_client):
    assert app.config["HUB_SESSION_LIFETIME"] <= dt.timedelta(hours=12)
    client, _ = adviser_client("long@example.org", ("WCITY",))
    assert client.get("/adviser/").status_code == 200
    app.config["HUB_SESSION_LIFETIME"] = dt.timedelta(seconds=0)
    import time

    time.sleep(0.01)
    assert client.get("/adviser/").status_code == 302


def test_a_session_moved_to_another_address_is_dropped(adviser_client):
    client, _ = adviser_client("moved@example.org", ("WCITY",))
    assert client.get("/adviser/").status_code == 200
    assert client.get("/adviser/", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 302


def test_an_unknown_email_takes_as_long_as_a_wrong_password(app, make_user):
    """Response time must not tell which emails are staff accounts: a hash is checked either way."""
    import statistics
    import time

    from hub.auth import service

    make_user("timing@example.org")
    inactive = make_user("gone@example.org")
    inactive.active = False
    get_session().commit()  # failures are counted on another connection: hold no row lock

    def took(email):
        runs = []
        for n in range(5):
            with app.test_request_context("/adviser/sign-in", environ_base={"REMOTE_ADDR": f"192.0.2.{n + 50}"}):
                start = time.perf_counter()
                try:
                    service.check_password(email, "wrong-password-123", f"192.0.2.{n + 50}")
                except service.SignInRefused:
                    pass
                runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    known = took("timing@example.org")
    for email in ("nobody@example.org", "gone@example.org"):
        assert took(email) > 0.5 * known, (email, took(email), known)
