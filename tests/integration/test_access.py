"""Every route is either explicitly public or staff-only, and council scope is enforced."""
import pytest
from werkzeug.exceptions import NotFound

from fixtures.urls import sample_url
from hub.auth.access import ACCESS_ATTR, Scope, scope_for


def test_every_view_declares_its_access(app):
    unmarked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = app.view_functions[rule.endpoint]
        if getattr(view, ACCESS_ATTR, None) is None:
            unmarked.append(f"{rule.rule} -> {rule.endpoint}")
    assert unmarked == []


def _staff_rules(app):
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions.get(rule.endpoint), ACCESS_ATTR, "")
        if access.startswith("staff"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method, access


def test_staff_views_refuse_anonymous_users(app, client):
    """Every staff route, with or without arguments, every method: anonymous goes to sign-in."""
    from fixtures.staff import csrf_token

    token = csrf_token(client, "/adviser/sign-in")
    checked = []
    for rule, method, _ in _staff_rules(app):
        url = sample_url(rule)
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code in (302, 401), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/adviser/sign-in" in response.headers["Location"]
        checked.append(rule.rule)
    assert any(r.startswith("/adviser/cases/<id:case_id>") for r in checked)
    assert "/adviser/cases/<id:case_id>/attachments/<source>/<id:attachment_id>" in checked
    assert len(checked) >= 20


def test_admin_views_refuse_advisers(app, adviser_client):
    from fixtures.staff import csrf_token

    client, _ = adviser_client("plain@example.org", ("WCITY",))
    token = csrf_token(client, "/adviser/")
    checked = 0
    for rule, method, access in _staff_rules(app):
        if access != "staff:admin":
            continue
        response = client.open(sample_url(rule), method=method, data={"csrf_token": token})
        assert response.status_code == 403, rule.rule
        checked += 1
    assert checked >= 4


def test_sign_in_and_out(client, make_user, sign_in):
    user = make_user("ann@example.org", "adviser", ("MHDC",))
    assert client.get("/adviser/").status_code == 302
    sign_in(client, user)
    assert "ann@example.org" in client.get("/adviser/").get_data(as_text=True)
    assert client.get("/adviser/home").headers["Location"] == "/adviser/"
    from fixtures.staff import csrf_token

    assert client.post("/adviser/sign-out", data={"csrf_token": csrf_token(client, "/adviser/")}).status_code == 302
    assert client.get("/adviser/").status_code == 302


def test_wrong_password_reveals_nothing(client, make_user):
    from fixtures.staff import csrf_token

    make_user("bob@example.org")
    for email, password in [("bob@example.org", "wrong-password-123"), ("nobody@example.org", "whatever-123456")]:
        response = client.post("/adviser/sign-in", data={"email": email, "password": password,
                                                         "csrf_token": csrf_token(client, "/adviser/sign-in")})
        assert response.status_code == 400
        assert "The email address or password is not right" in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(client, make_user):
    make_user("cat@example.org")
    response = client.post("/adviser/sign-in", data={"email": "cat@example.org", "password": "a-long-test-password"})
    assert response.status_code == 400


def test_open_redirect_is_refused(client, make_user, sign_in):
    from fixtures.staff import PASSWORD, csrf_token

    user = make_user("dan@example.org")
    response = client.post("/adviser/sign-in?next=//evil.example/x", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/adviser/sign-in")})
    assert response.headers["Location"] == "/adviser/"


@pytest.mark.parametrize("target", [
    "/%09/evil.example/x", "/%0a/evil.example/x", "/%0d%0a/evil.example", "/%00/evil.example",
    "/%5Cevil.example", "https://evil.example/adviser/", "//evil.example/adviser/", "/%20/evil.example",
    "/portal/../adviser/", "/adviser/../../evil", "javascript:alert(1)", "adviser/",
])
def test_sign_in_never_redirects_off_the_staff_pages(client, make_user, target, caplog):
    """A crafted `next` (tab, newline, backslash, other host) lands on the queue, and is logged."""
    from fixtures.staff import PASSWORD, csrf_token

    user = make_user("dan@example.org")
    response = client.post(f"/adviser/sign-in?next={target}", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/adviser/sign-in")})
    if "%00" in target:  # a NUL byte is refused before anything else (hub.security)
        assert response.status_code == 400 and "Location" not in response.headers
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/adviser/"
    assert any(r.getMessage() == "sign-in next refused" for r in caplog.records)


def test_sign_in_returns_to_the_staff_page_asked_for(client, make_user):
    from fixtures.staff import PASSWORD, csrf_token

    user = make_user("dan@example.org")
    response = client.post("/adviser/sign-in?next=/adviser/search%3Fq%3Delm", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/adviser/sign-in")})
    assert response.headers["Location"] == "/adviser/search?q=elm"


def test_scope():
    scope = Scope(frozenset({"WCC"}))
    assert scope.allows("WCC") and not scope.allows("MHDC") and not scope.allows(None)
    with pytest.raises(NotFound):
        scope.require("MHDC")
    assert Scope(frozenset(), all_councils=True).allows("MHDC")


def test_scope_for_roles(make_user):
    adviser = make_user("e@example.org", "adviser", ("WCC", "MHDC"))
    admin = make_user("f@example.org", "admin", ("HUB",))
    assert scope_for(adviser) == Scope(frozenset({"WCC", "MHDC"}))
    assert scope_for(admin).all_councils


def test_provider_webhooks_are_the_only_csrf_exempt_paths():
    from hub.security import CSRF_EXEMPT_PREFIXES

    assert CSRF_EXEMPT_PREFIXES == ("/channels/", "/open311/")
