import pytest

from hub.geo import postcodes


@pytest.mark.parametrize("raw, canonical", [
    ("WR14 3AB", "WR14 3AB"), ("wr143ab", "WR14 3AB"), (" wr14  3ab ", "WR14 3AB"),
    ("B60 1AA", "B60 1AA"), ("HR8 1EZ", "HR8 1EZ"), ("SW1A 1AA", "SW1A 1AA"), ("m1 1ae", "M1 1AE"),
])
def test_normalise_valid(raw, canonical):
    assert postcodes.normalise(raw) == canonical
    assert postcodes.is_valid(raw)


@pytest.mark.parametrize("raw", ["", None, "WR14", "WR14 3", "WR14 3A", "WR14 3CI", "1WR 3AB", "WR143ABX", "hello",
                                 "WR14 AB", "WR1 43AB"])  # a digit missing or moved: not another council's postcode
def test_normalise_invalid(raw):
    assert postcodes.normalise(raw) is None


def test_sector():
    assert postcodes.sector("wr14 3ab") == "WR14 3"
    assert postcodes.sector("B601AA") == "B60 1"
    with pytest.raises(ValueError):
        postcodes.sector("nonsense")


@pytest.mark.parametrize("text, found", [
    ("big pothole outside 4 Church Street WR14 3AB", "WR14 3AB"),
    ("BIN wr143ab", "WR14 3AB"),
    ("my postcode is Wr1 1Ab thanks", "WR1 1AB"),
    ("(hr11aa)", "HR1 1AA"),
    ("no postcode here, call 07700 900123", None),
    ("order number AB12CDE99", None),
])
def test_find_in_text(text, found):
    assert postcodes.find(text) == found


def test_find_all_keeps_order_without_repeats():
    assert postcodes.find_all("from WR1 1AB to wr2 5xy and WR11AB") == ["WR1 1AB", "WR2 5XY"]
