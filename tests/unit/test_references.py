import re

from hub import references


def test_generated_references_are_valid_readable_and_not_sequential():
    refs = [references.generate() for _ in range(2000)]
    assert len(set(refs)) == len(refs)
    for ref in refs:
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", ref)
        assert references.is_valid(ref)
        assert not set(ref) & set("01OIL")
    # Not sequential: consecutive references share few leading symbols.
    assert sum(a[:3] == b[:3] for a, b in zip(refs, refs[1:])) < 5


def test_normalise_tolerates_case_spaces_and_dashes():
    ref = references.generate()
    assert references.normalise(ref.lower().replace("-", " ")) == ref
    assert references.normalise(ref.replace("-", "")) == ref


def test_every_single_symbol_typo_is_caught():
    ref = references.generate().replace("-", "")
    for i in range(len(ref)):
        for ch in references.ALPHABET:
            if ch != ref[i]:
                typo = ref[:i] + ch + ref[i + 1:]
                assert not references.is_valid(typo), typo


def test_every_adjacent_swap_is_caught():
    for _ in range(200):
        ref = references.generate().replace("-", "")
        for i in range(len(ref) - 1):
            if ref[i] != ref[i + 1]:
                swapped = ref[:i] + ref[i + 1] + ref[i] + ref[i + 2:]
                assert not references.is_valid(swapped)


def test_invalid_inputs():
    for bad in ["", None, "ABCD", "ABCD-EFG0", "ABCD-EFGHJ", "ABCO-EFGH"]:
        assert references.normalise(bad) is None


def test_find_in_text():
    for _ in range(300):  # "CASE" + the first half is itself valid one time in 31
        ref = references.generate()
        assert references.find(f"Re: your case {ref} - update") == ref
    assert references.find("nothing here ABCD EFGH") in (None, "ABCD-EFGH")
