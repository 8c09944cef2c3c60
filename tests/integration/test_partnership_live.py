"""A loaded partnership is the live one, in this process at once and in others within seconds."""
from hub.config import DEMO_PARTNERSHIP
from hub.db import get_session
from hub.partnership.routing import route
from hub.partnership.service import current, load

FOURTH = """
  - code: SHROP
    name: Shropshire Council
    tier: unitary
    partner: true
    phone: "01632 960010"
    web: https://www.shropshire.example
"""


def _fourth_council_file(tmp_path):
    text = DEMO_PARTNERSHIP.read_text()
    text = text.replace("\npostcode_sectors:\n", f"{FOURTH}\npostcode_sectors:\n  \"SY1 1\": SHROP\n", 1)
    path = tmp_path / "fourth.yaml"
    path.write_text(text)
    return path


def test_a_fourth_council_routes_everywhere_without_a_restart(app, database_url, new_app, tmp_path):
    other_process = new_app(database_url)
    with other_process.app_context():
        assert current().authority("SHROP") is None
    load(_fourth_council_file(tmp_path))
    get_session().commit()
    doc = current()  # this process: at once
    assert route(doc, doc.service("waste.bin_day"), "SY1 1AA").authority_code == "SHROP"
    with other_process.app_context():
        other_process.extensions["hub.partnership_checked"] = 0.0  # as if five seconds passed
        assert current().authority("SHROP").partner is True
    load(DEMO_PARTNERSHIP)
    get_session().commit()
    assert current().authority("SHROP") is None


def test_without_a_loaded_partnership_the_file_is_used(new_app, tmp_path):
    app = new_app(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables at all
    with app.app_context():
        app.extensions["hub.partnership_checked"] = 0.0
        assert current().authority("WCC").name == "Worcestershire County Council"
