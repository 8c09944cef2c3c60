import pytest

from hub.config import ConfigError, Settings


def test_production_is_the_default_and_needs_a_secret():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env({})


def test_development_runs_without_a_secret_on_sqlite(tmp_path):
    s = Settings.from_env({"HUB_ENV": "development"}, instance_path=tmp_path)
    assert s.database_url == f"sqlite:///{tmp_path.resolve() / 'hub.db'}"
    assert s.redis_url is None and not s.secure_cookies


def test_urls_are_normalised_and_checked():
    s = Settings.from_env({"SECRET_KEY": "x" * 32, "DATABASE_URL": "postgres://u@h/db",
                           "HUB_PUBLIC_URL": "https://hub.example.org/"})
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert s.public_url == "https://hub.example.org" and s.secure_cookies
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        Settings.from_env({"SECRET_KEY": "x", "DATABASE_URL": "mysql://x"})
    with pytest.raises(ConfigError, match="HUB_ENV"):
        Settings.from_env({"HUB_ENV": "staging"})
    with pytest.raises(ConfigError, match="SMTP_PORT"):
        Settings.from_env({"HUB_ENV": "test", "SMTP_PORT": "abc"})


def test_needs_info_timeout_is_configurable_and_checked():
    assert Settings.from_env({"HUB_ENV": "test"}).needs_info_timeout_hours == 48
    assert Settings.from_env({"HUB_ENV": "test", "HUB_NEEDS_INFO_TIMEOUT_HOURS": "24"}).needs_info_timeout_hours == 24
    with pytest.raises(ConfigError, match="HUB_NEEDS_INFO_TIMEOUT_HOURS"):
        Settings.from_env({"HUB_ENV": "test", "HUB_NEEDS_INFO_TIMEOUT_HOURS": "two days"})
