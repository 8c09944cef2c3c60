"""A non-editable install (a wheel, as in the README's production recipe) carries every file
the hub serves or reads: styles, scripts, fonts, images, templates, data, migrations."""
import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGED_TREES = ("hub", "templates", "channels", "workflows", "migrations")
NOT_SHIPPED = ("*.py", "*.pyc")


def _patterns():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config.get("include-package-data") is not False
    return config["package-data"]["*"], config["packages"]["find"]["include"]


def test_every_data_file_matches_a_package_data_pattern():
    patterns, _ = _patterns()
    missing = []
    for tree in PACKAGED_TREES:
        for path in (ROOT / tree).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.name.startswith("."):
                continue
            if any(fnmatch.fnmatch(path.name, p) for p in NOT_SHIPPED):
                continue
            if not any(fnmatch.fnmatch(path.name, p) for p in patterns):
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_static_assets_of_every_kind_are_covered():
    """GOV.UK Frontend (copied in by `make frontend`, git-ignored) brings fonts and icons too."""
    patterns, include = _patterns()
    for name in ("adviser.css", "queue.js", "favicon.svg", "favicon.ico", "govuk-icon-192.png",
                 "bold-b542beb274-v2.woff2", "light-f591b13f7d-v2.woff", "manifest.json", "base.html",
                 "worcestershire-demo.yaml", "script.py.mako"):
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name
    assert {"hub*", "channels*", "workflows*", "templates*", "migrations*"} <= set(include)
