"""Another council's case is a 404 on every adviser URL, and nothing about it changes."""
from sqlalchemy import func, select

from fixtures.urls import sample_url
from hub.cases.models import Case, CaseEvent, Message
from hub.db import get_session

FORM_DATA = {"text": "hello", "service": "roads.pothole", "authority": "WCC", "reason": "wrong council",
             "outcome": "answered", "user_id": "1", "channel": ""}


def _case_urls(app):
    for rule in app.url_map.iter_rules():
        if "case_id" in rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_case_url_answers_404_for_another_councils_case(app, adviser_client, make_case, email_files):
    from fixtures.staff import csrf_token

    foreign = make_case("MHDC", postcode="WR14 3AB")
    # A file that really exists on the foreign case: its download URL must be a 404 too.
    [foreign_file] = email_files(foreign, [("letter.pdf", "application/pdf", b"%PDF-1.4 foreign")]).values()
    client, _ = adviser_client("d@example.org", ("WCITY", "WCC"))
    token = csrf_token(client, "/adviser/")
    sess = get_session()

    def snapshot():
        sess.expire_all()
        c = sess.get(Case, foreign.id)
        return (c.status, c.authority_code, c.service_code, c.assigned_to_id, c.sla_due_at,
                sess.scalar(select(func.count()).select_from(Message).where(Message.case_id == foreign.id)),
                sess.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == foreign.id)))

    before = snapshot()
    checked = []
    for rule, method in _case_urls(app):
        url = sample_url(rule, case_id=foreign.id, source="email", attachment_id=foreign_file.id)
        assert f"/cases/{foreign.id}" in url, url
        data = {**FORM_DATA, "csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert foreign.reference not in response.get_data(as_text=True)
        checked.append((method, rule.endpoint))
    assert len(checked) >= 12
    assert {"adviser.case", "adviser.case_messages", "adviser.reply", "adviser.transfer",
            "adviser.attachment"} <= {e for _, e in checked}
    assert snapshot() == before
    # and an id that does not exist at all answers the same
    assert client.get("/adviser/cases/987654").status_code == 404


def test_own_council_case_urls_answer(app, adviser_client, make_case):
    own = make_case("WCITY")
    client, _ = adviser_client("e@example.org", ("WCITY",))
    assert client.get(f"/adviser/cases/{own.id}").status_code == 200
    assert client.get(f"/adviser/cases/{own.id}/messages").status_code == 200


def test_shared_hub_adviser_sees_every_partner(adviser_client, make_case):
    cases = [make_case("WCITY"), make_case("MHDC", postcode="WR14 3AB"), make_case("HUB")]
    client, _ = adviser_client("hub@example.org", ("HUB", "WCC", "WCITY", "MHDC"))
    for c in cases:
        assert client.get(f"/adviser/cases/{c.id}").status_code == 200
