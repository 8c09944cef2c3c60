"""`hub triage` (dry run), `hub triage-model`, and learning from advisers' corrections."""
import json

from hub.cases.service import receive_contact
from hub.jobs.dispatch import commit_and_dispatch

KEYS = {"service", "authority", "disposition", "confidence", "workflow", "reply", "explanation"}


def test_dry_run_prints_the_decision_with_its_reasons(run_cli):
    result = run_cli("triage", "lamp post flickering all night outside no 12", "--postcode", "WR1 1AB",
                     "--at", "2026-03-02T10:00:00")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= KEYS
    assert out["service"] == "roads.street_light" and out["authority"] == "WCC"
    assert 0 <= out["confidence"] <= 1 and out["disposition"] in {"self_served", "escalated", "urgent", "needs_info"}
    assert isinstance(out["explanation"], list) and len(out["explanation"]) >= 3
    assert any("Classified as" in step for step in out["explanation"])


def test_jsonl_batch_keeps_input_order_and_ids(run_cli, tmp_path):
    items = [
        {"id": "a", "text": "my husband hits me", "channel": "sms"},
        {"id": "b", "text": "how do I pay my council tax"},
        {"id": "c", "text": "when is my bin day", "postcode": "WR14 3AB", "at": "2026-03-02T09:00:00+00:00"},
        {"id": "d", "text": "pothole on the high street", "postcode": "HR1 1AA"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in items))
    result = run_cli("triage", "--jsonl", str(path))
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c", "d"]
    assert lines[0]["service"] == "social_care.safeguarding" and lines[0]["disposition"] == "urgent"
    assert lines[1]["service"] == "council_tax.payment" and lines[1]["disposition"] != "needs_info"
    assert lines[2]["authority"] == "MHDC"
    assert lines[3]["authority"] == "HEREF" and lines[3]["disposition"] == "signposted"


def test_evaluate_prints_the_accuracy_figures(run_cli, tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in [
        {"id": 1, "text": "pothole outside the school", "channel": "web", "postcode": "WR14 3AB",
         "service": "roads.pothole", "authority": "WCC", "disposition": "escalated", "safeguarding": False},
        {"id": 2, "text": "i want to end my life", "channel": "sms", "postcode": None,
         "service": "social_care.safeguarding", "authority": "WCC", "disposition": "urgent", "safeguarding": True},
    ]))
    result = run_cli("triage-model", "evaluate", str(path), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["messages"] == 2 and figures["safeguarding_recall"] == 1.0
    assert {"service_accuracy", "authority_accuracy", "disposition_accuracy", "service_confusions"} <= set(figures)


def test_build_writes_a_model_file(run_cli, tmp_path):
    result = run_cli("triage-model", "build", "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "triage-model.joblib").stat().st_size > 10_000


def test_an_advisers_correction_changes_the_next_model_build(app):
    from hub.partnership.service import current
    from hub.triage import queries
    from hub.triage.service import build_pipeline, record_correction

    def predicted(text: str) -> str | None:
        return build_pipeline(current()).classifier.predict(text, "web").service

    similar = "salt bin empty on the hill"
    before = predicted(similar)
    assert before != "general.enquiry"
    got = receive_contact(channel="web", body="the salt bin on our road is empty again", email="g@example.org")
    commit_and_dispatch()
    record_correction(got.case, "general.enquiry", user_id=None)
    [example] = queries.training_examples()
    assert (example.service_code, example.case_id, example.channel) == ("general.enquiry", got.case.id, "web")
    assert predicted(similar) == "general.enquiry"


def test_a_bad_jsonl_line_gets_an_error_and_the_batch_goes_on(run_cli, tmp_path):
    bad = [
        {"id": 1, "text": "pothole WR14 3AB", "at": 123},
        {"id": 2, "text": "pothole WR14 3AB", "postcode": 12345},
        {"id": 3, "text": "pothole WR14 3AB", "postcode": ["a"]},
        {"id": 4, "text": "bin day", "postcode": "WR14 3AB", "at": "9999-12-31T23:59:59"},
        {"id": 5, "text": "bin day", "postcode": "WR14 3AB", "at": "9999-12-31T23:59:59-05:00"},
        {"id": 6, "text": "pothole", "channel": "fax"},
        {"id": 7, "text": "pothole", "channel": ["sms"]},
        {"id": 8, "text": "bin day", "at": "1066-10-14T09:00:00"},
        {"id": 9, "text": 42},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in bad) + "[[[\n"
                    + json.dumps({"id": "ok", "text": "pothole on the high street", "postcode": "WR14 3AB"}) + "\n")
    result = run_cli("triage", "--jsonl", str(path))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line.get("id") for line in lines] == list(range(1, 10)) + [None, "ok"]
    errors = [line.get("error", "") for line in lines[:10]]
    assert all(e.startswith(f"line {n}: ") for n, e in enumerate(errors, start=1)), errors
    assert "'at'" in errors[0] and "'postcode'" in errors[1] and "'channel'" in errors[5]
    assert "between the years 2000 and 2100" in errors[3] and "'at'" in errors[4]
    assert lines[10]["service"] == "roads.pothole"


def test_triage_at_out_of_range_is_a_clear_error(run_cli):
    for at in ("9999-12-31T23:00:00", "9999-12-31T23:00:00-05:00", "1900-01-01T00:00:00", "tomorrow"):
        result = run_cli("triage", "bin day WR14 3AB", "--at", at)
        assert result.exit_code == 2, (at, result.output)
        assert "--at" in result.output and "Traceback" not in result.output


def test_triage_channel_must_be_a_citizen_channel(run_cli):
    result = run_cli("triage", "pothole", "--channel", "fax")
    assert result.exit_code == 2 and "fax" in result.output


def test_commands_that_read_cases_say_to_migrate_first(new_app, tmp_path):
    """Straight after install, or after a code update: what to run, not a stack trace."""
    from hub.cli import main
    from hub.migrate import upgrade

    app = new_app(f"sqlite:///{tmp_path / 'empty.db'}")
    runner = app.test_cli_runner()
    for args in (["triage", "big pothole outside 4 Church Street WR14 3AB"], ["cases", "list", "--json"],
                 ["cases", "show", "WR-ABC-123"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 1 and "no tables yet: run `hub db upgrade` first" in result.output, args
    with app.app_context():
        upgrade("0005c")
    result = runner.invoke(main, ["triage", "big pothole outside 4 Church Street WR14 3AB"])
    assert result.exit_code == 1 and "at revision 0005c, the code needs" in result.output


def test_triage_without_advisers_corrections_table_still_decides(app, caplog):
    """During a deploy the code may run before the migration: triage builds without corrections."""
    from sqlalchemy import text

    from hub.db import session
    from hub.triage.service import corrections

    with app.app_context():
        session.execute(text("ALTER TABLE training_example RENAME TO training_example_moved"))
        try:
            assert corrections() == []
            # The caller's transaction is untouched: the rename is still there to roll back.
            assert session.execute(text("SELECT count(*) FROM training_example_moved")).scalar() == 0
        finally:
            session.rollback()
    assert "corrections unavailable" in caplog.text


def test_crossval_scores_each_fold_with_models_trained_without_it(run_cli, tmp_path):
    rows = [{"id": f"p{i}", "text": f"pothole in the road by number {i}", "channel": "sms", "postcode": "WR14 3AB",
             "service": "roads.pothole", "authority": "WCC", "disposition": "self_served", "safeguarding": False}
            for i in range(6)]
    rows += [{"id": f"b{i}", "text": f"when are my bins collected, house {i}", "channel": "web", "postcode": "WR1 2DS",
              "service": "waste.bin_day", "authority": "WCITY", "disposition": None, "safeguarding": False}
             for i in range(4)]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in rows))
    result = run_cli("triage-model", "crossval", "--train", str(path), "--folds", "2", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    # Every message is scored once; only the six with a disposition label count for authority.
    assert figures["messages"] == 10 and figures["messages_with_disposition_labels"] == 6
    assert figures["service_accuracy"] == 1.0 and figures["authority_accuracy"] == 1.0


def test_crossval_refuses_a_missing_file(run_cli, tmp_path):
    result = run_cli("triage-model", "crossval", "--train", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "does not exist" in result.output
