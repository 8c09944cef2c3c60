"""The `hub` command as operators and scripts use it."""
import json

import yaml

from hub.cases.service import receive_contact
from hub.jobs.dispatch import commit_and_dispatch


def _triage(run_cli, *args):
    result = run_cli("triage", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_triage_pothole(run_cli):
    out = _triage(run_cli, "big pothole outside 4 Church Street WR14 3AB", "--channel", "sms")
    assert out["service"] == "roads.pothole" and out["authority"] == "WCC"
    assert set(out) >= {"service", "authority", "disposition", "confidence", "workflow", "reply", "explanation"}


def test_triage_street_light_in_wychavon_goes_to_the_county(run_cli):
    out = _triage(run_cli, "the street light is out on my road", "--postcode", "WR10 1XY")
    assert out["service"] == "roads.street_light" and out["authority"] == "WCC"


def test_triage_bin_question_in_herefordshire_is_signposted(run_cli):
    out = _triage(run_cli, "when is my bin collected? HR1 1AA")
    assert out["authority"] == "HEREF" and out["disposition"] == "signposted"


def test_triage_jsonl_keeps_order_and_ids(run_cli, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        {"id": 7, "text": "pothole WR14 3AB"}, {"id": "b", "text": "not json"}, {"text": "dog barking all day", "postcode": "WR1 1AB"},
    ]) + "\nnot json at all\n")
    result = run_cli("triage", "--jsonl", str(path))
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line.get("id") for line in lines] == [7, "b", None, None]
    assert lines[0]["service"] == "roads.pothole"
    assert lines[2]["authority"] == "WCITY"
    assert "error" in lines[3]


def test_partnership_load_refuses_unknown_tier(run_cli, tmp_path):
    from hub.config import DEMO_PARTNERSHIP

    bad = tmp_path / "bad.yaml"
    bad.write_text(DEMO_PARTNERSHIP.read_text().replace("tier: district", "tier: parish", 1))
    result = run_cli("partnership", "load", str(bad))
    assert result.exit_code == 1
    assert "authorities[2].tier" in result.output and "nothing was changed" in result.output
    assert "not 'parish'" in result.output
    ok = run_cli("partnership", "load", str(DEMO_PARTNERSHIP))
    assert ok.exit_code == 0 and "9 authorities" in ok.output


def test_users_add_reads_password_from_stdin(run_cli):
    result = run_cli("users", "add", "Ann@Example.org", "--role", "adviser", "--authority", "WCC",
                     "--authority", "MHDC", input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert "ann@example.org: adviser for MHDC, WCC" in result.output
    short = run_cli("users", "add", "b@example.org", "--role", "adviser", "--authority", "WCC", input="short\n")
    assert short.exit_code != 0 and "at least 12" in short.output
    unknown = run_cli("users", "add", "c@example.org", "--role", "adviser", "--authority", "ZZZ", input="x" * 20 + "\n")
    assert unknown.exit_code != 0 and "ZZZ" in unknown.output


def test_cases_list_and_show(app, run_cli):
    got = receive_contact(channel="web", body="huge pothole on the high street WR1 1AB", email="x@example.org")
    commit_and_dispatch()
    listed = json.loads(run_cli("cases", "list", "--json").output)
    assert [c["reference"] for c in listed] == [got.case.reference]
    assert listed[0]["authority"] == "WCC" and listed[0]["channel"] == "web"
    assert json.loads(run_cli("cases", "list", "--channel", "sms", "--json").output) == []
    shown = json.loads(run_cli("cases", "show", got.case.reference.lower(), "--json").output)
    assert shown["messages"][0]["body"].startswith("huge pothole")
    assert [e["kind"] for e in shown["events"]][:2] == ["received", "triaged"]
    missing = run_cli("cases", "show", "ABCD-EFGH", "--json")
    assert missing.exit_code != 0


def test_cases_list_refuses_odd_limits_channels_and_times(run_cli):
    for args in (["--limit", "-5"], ["--limit", "0"], ["--limit", "10001"], ["--channel", "fax"],
                 ["--since", "9999-12-31T23:59:59-05:00"], ["--since", "last week"]):
        result = run_cli("cases", "list", *args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    assert run_cli("cases", "list", "--limit", "1", "--channel", "sms").exit_code == 0


def test_partnership_load_refuses_a_name_too_long_for_its_column(run_cli, tmp_path):
    """On PostgreSQL this was a DataError traceback at load; now the field path and the reason."""
    from hub.config import DEMO_PARTNERSHIP

    data = yaml.safe_load(DEMO_PARTNERSHIP.read_text())
    data["services"][0]["name"] = "n" * 300
    data["authorities"][0]["phone"] = "0" * 40
    bad = tmp_path / "long.yaml"
    bad.write_text(yaml.safe_dump(data))
    result = run_cli("partnership", "load", str(bad))
    assert result.exit_code == 1
    assert "services[0].name: String should have at most 200 characters" in result.output
    assert "authorities[0].phone: String should have at most 32 characters" in result.output


def test_cases_list_says_when_it_is_cut_and_pages_back(app, run_cli):
    import datetime as dt

    from hub.db import get_session

    refs = []
    for hour in range(3):
        got = receive_contact(channel="web", body=f"dog barking all day WR1 1AB ({hour})")
        got.case.created_at = dt.datetime(2026, 11, 2, 9 + hour, tzinfo=dt.timezone.utc)
        refs.append(got.case.reference)
        commit_and_dispatch()
    get_session().expire_all()
    first = run_cli("cases", "list", "--limit", "2", "--json")
    assert [c["reference"] for c in json.loads(first.stdout)] == [refs[2], refs[1]]
    assert "--before 2026-11-02T10:00:00+00:00" in first.stderr
    older = run_cli("cases", "list", "--limit", "2", "--before", "2026-11-02T10:00:00+00:00", "--json")
    assert [c["reference"] for c in json.loads(older.stdout)] == [refs[0]]
    assert "warning" not in older.stderr
