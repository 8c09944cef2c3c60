"""The development phone simulator: texts go through the signed webhook; replies are shown."""
from __future__ import annotations

import re

from sqlalchemy import select

from hub.cases.models import Case


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_simulator_texts_the_hub_and_shows_its_replies(database_url, new_app):
    app = new_app(database_url, HUB_ENV="development")
    with app.app_context():
        client = app.test_client()
        page = client.get("/dev/phone").get_data(as_text=True)
        assert "Phone simulator" in page and "No messages" in page
        resp = client.post("/dev/phone", data={"csrf_token": _token(page), "phone": "07700 900555",
                                              "body": "Dog barking all night next door WR1 1AB"})
        assert resp.status_code == 302 and "phone=%2B447700900555" in resp.location
        page = client.get(resp.location).get_data(as_text=True)
        assert "Dog barking all night" in page and "Worcester City Council will reply" in page
        from hub.db import get_session

        assert get_session().scalars(select(Case.channel)).all() == ["sms"]
        resp = client.post("/dev/phone?phone=%2B447700900555", data={
            "csrf_token": _token(page), "phone": "+447700900555", "body": "HELP"}, follow_redirects=True)
        assert "instant answer" in resp.get_data(as_text=True) and "STATUS and your reference" in resp.get_data(as_text=True)


def test_simulator_exists_only_in_development(client):
    assert client.get("/dev/phone").status_code == 404
