"""Building, saving and reusing the triage models."""
from hub.triage import model


def test_training_rows_never_come_from_the_held_out_set(partnership_doc):
    rows = model.training_rows(partnership_doc)
    assert "tests" not in str(model.TRAIN_FILE)
    assert len(rows) > 700 and {r.service for r in rows} == {s.code for s in partnership_doc.services}
    assert sum(r.safeguarding for r in rows) >= 60


def test_a_saved_model_is_used_only_while_its_training_data_is_unchanged(partnership_doc, tmp_path):
    rows = model.training_rows(partnership_doc)
    built = model.load_or_build(rows, None)  # the process-wide build the session already made
    model.save(built, tmp_path)
    assert model.load_saved(model.fingerprint(rows), tmp_path).fingerprint == built.fingerprint
    changed = [*rows, model.TrainingRow("the grit bin is empty", "general.enquiry", "web", weight=3.0)]
    assert model.load_saved(model.fingerprint(changed), tmp_path) is None


def test_a_corrupt_model_file_is_ignored(tmp_path):
    (tmp_path / model.MODEL_FILENAME).write_bytes(b"not a model")
    assert model.load_saved("anything", tmp_path) is None


def test_no_held_out_message_is_in_the_training_set():
    """The held-out sets stay unseen: not one of their texts (however spaced or cased) is trained on."""
    from pathlib import Path

    from hub.triage.text import normalise

    held_out = Path(__file__).resolve().parents[1] / "data"
    trained = {normalise(item["text"]) for item in model.read_jsonl(model.TRAIN_FILE)}
    for name in ("triage_heldout.jsonl", "triage_heldout_v2.jsonl", "triage_heldout_v3.jsonl"):
        texts = {normalise(item["text"]) for item in model.read_jsonl(held_out / name)}
        assert len(texts) > 200 and not texts & trained, name


def test_a_yes_no_head_with_nothing_to_learn_says_no():
    from hub.triage.classify import BinaryModel, Vectoriser, features

    union = features()
    matrix = union.fit_transform(["pothole on the road", "street light out", "bin not emptied"])
    head = BinaryModel(Vectoriser(union), matrix, [False, False, False])
    assert head.probability("pothole on the road") == 0.0
