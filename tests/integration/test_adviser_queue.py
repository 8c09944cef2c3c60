"""The queue: my councils' cases only (page, counts, search), in order, filtered, paged, taken."""
import datetime as dt
import re

import pytest

from hub.cases.models import PRIORITIES


def _refs(html):
    return re.findall(r'/adviser/cases/\d+">([A-Z0-9-]+)<', html)


def test_adviser_sees_only_their_councils_cases(adviser_client, make_case):
    mine = make_case("WCITY")
    county = make_case("WCC", "roads.pothole")
    theirs = make_case("MHDC", postcode="WR14 3AB")
    client, _ = adviser_client("city@example.org", ("WCITY", "WCC"))
    page = client.get("/adviser/").get_data(as_text=True)
    assert set(_refs(page)) == {mine.reference, county.reference}
    assert theirs.reference not in page

    counts = client.get("/adviser/queue/rows").get_json()["counts"]
    assert counts["total"] == {"all": 2}
    assert counts["authority"] == {"WCITY": 1, "WCC": 1}

    found = client.get(f"/adviser/search?q={theirs.reference}").get_data(as_text=True)
    assert _refs(found) == [] and "0 results" in found
    assert _refs(client.get(f"/adviser/search?q={mine.reference.lower()}").get_data(as_text=True)) == [mine.reference]
    found = client.get("/adviser/search?q=resident@example.org").get_data(as_text=True)
    assert set(_refs(found)) == {mine.reference, county.reference}
    assert set(_refs(client.get("/adviser/search?q=WR1 1AB").get_data(as_text=True))) >= {mine.reference}


def test_urgent_first_then_sla_with_keyset_pages(app, adviser_client, make_case):
    made = [make_case("WCITY", sla_in=dt.timedelta(hours=h)) for h in (30, 5, 12, 1, 20)]
    urgent = make_case("WCITY", priority=PRIORITIES["urgent"], sla_in=dt.timedelta(hours=40))
    no_sla = make_case("WCITY", sla_in=None)
    client, _ = adviser_client("a@example.org", ("WCITY",))
    expected = [urgent] + sorted(made, key=lambda c: c.sla_due_at) + [no_sla]
    from hub.adviser import routes

    seen, url = [], "/adviser/queue/rows"
    while url:
        data = client.get(url).get_json()
        seen += _refs(data["rows"])
        url = f"/adviser/queue/rows?after={data['next']}" if data["next"] else None
        assert len(seen) <= 10
    assert seen == [c.reference for c in expected]
    # pages of 3 through the service, to prove the cursor does not skip or repeat
    from hub.adviser import service
    from hub.auth.access import Scope

    actor = service.Actor(user_id=0, scope=Scope(frozenset({"WCITY"})))
    refs, after = [], None
    while True:
        page = service.queue(actor, service.QueueFilter(), after, limit=3)
        refs += [c.reference for c in page["cases"]]
        after = page["next"]
        if after is None:
            break
        assert routes.cursor_param(after).count("~") == 2
    assert refs == [c.reference for c in expected]


def test_filters_and_breaches(adviser_client, make_case, app):
    client, user = adviser_client("b@example.org", ("WCITY",))
    late = make_case("WCITY", sla_in=-dt.timedelta(hours=1))
    soon = make_case("WCITY", sla_in=dt.timedelta(minutes=30))
    later = make_case("WCITY", channel="sms", phone="+447700900222", email=None)
    mine = make_case("WCITY", status="in_progress", assigned_to_id=user.id)
    page = client.get("/adviser/?sla=breached").get_data(as_text=True)
    assert _refs(page) == [late.reference] and "Breached" in page
    assert _refs(client.get("/adviser/?sla=due_soon").get_data(as_text=True)) == [soon.reference]
    assert _refs(client.get("/adviser/?channel=sms").get_data(as_text=True)) == [later.reference]
    assert _refs(client.get("/adviser/?assigned=me").get_data(as_text=True)) == [mine.reference]
    assert mine.reference not in _refs(client.get("/adviser/?assigned=unassigned").get_data(as_text=True))
    counts = client.get("/adviser/queue/rows").get_json()["counts"]
    assert counts["sla"] == {"breached": 1, "due_soon": 1, "ok": 2}
    assert counts["assigned"] == {"unassigned": 3, "me": 1}
    assert client.get("/adviser/?after=nonsense").status_code == 400
    assert client.get("/adviser/?sla=whatever").status_code == 200


def test_take_the_next_case(adviser_client, make_case):
    from fixtures.staff import csrf_token

    first = make_case("WCITY", priority=PRIORITIES["urgent"])
    second = make_case("WCITY")
    make_case("MHDC", priority=PRIORITIES["urgent"], postcode="WR14 3AB")
    client, user = adviser_client("c@example.org", ("WCITY",))
    token = csrf_token(client, "/adviser/")
    taken = [client.post("/adviser/take", data={"csrf_token": token}).headers["Location"] for _ in range(3)]
    assert taken[:2] == [f"/adviser/cases/{first.id}", f"/adviser/cases/{second.id}"]
    assert taken[2] == "/adviser/"
    page = client.get(f"/adviser/cases/{first.id}").get_data(as_text=True)
    assert "in progress" in page and "c@example.org" in page


@pytest.mark.parametrize("after", [
    "0~2026-01-01T00:00:00~1",                                   # no UTC offset: the column is aware
    "0~2026-01-01T00:00:00%2B00:00~99999999999999999999999",     # not a row id
    "99999999999999999999~2026-01-01T00:00:00%2B00:00~1",        # not a priority
    "0~0001-01-01T00:00:00%2B05:00~1",                           # no UTC equivalent
    "0~-~0", "0~-~-1", "0~-~%C2%B2", "~-~1", "0~-~1~2",
])
def test_a_malformed_queue_cursor_is_a_400(adviser_client, after):
    client, _ = adviser_client("cursor@example.org", ("WCITY",))
    assert client.get(f"/adviser/?after={after}").status_code == 400
    assert client.get(f"/adviser/queue/rows?after={after}").status_code == 400


def test_a_well_formed_cursor_still_pages(adviser_client, make_case):
    case = make_case("WCITY", sla_in=dt.timedelta(hours=2))
    client, _ = adviser_client("cursor2@example.org", ("WCITY",))
    assert _refs(client.get("/adviser/?after=0~-~1").get_data(as_text=True)) == [case.reference]
    assert client.get("/adviser/?after=2~2026-01-01T00:00:00%2B01:00~5").status_code == 200
