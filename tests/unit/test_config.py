import pytest

from hub.config import ConfigError, Settings

KEY = "k" * 32


def test_production_is_the_default_and_needs_a_secret():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env({})


@pytest.mark.parametrize("hub_env", ["test", "production"])
def test_every_environment_but_development_needs_a_secret(hub_env):
    """INTERFACES.md: SECRET_KEY is required outside development (a published key forges sessions)."""
    with pytest.raises(ConfigError, match=f"SECRET_KEY is not set \\(HUB_ENV={hub_env}\\)"):
        Settings.from_env({"HUB_ENV": hub_env})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        Settings.from_env({"HUB_ENV": hub_env, "SECRET_KEY": "   "})
    assert Settings.from_env({"HUB_ENV": hub_env, "SECRET_KEY": KEY}).secret_key == KEY


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
        Settings.from_env({"HUB_ENV": "test", "SECRET_KEY": KEY, "SMTP_PORT": "abc"})


def test_needs_info_timeout_is_configurable_and_checked():
    assert Settings.from_env({"HUB_ENV": "test", "SECRET_KEY": KEY}).needs_info_timeout_hours == 48
    assert Settings.from_env({"HUB_ENV": "test", "SECRET_KEY": KEY, "HUB_NEEDS_INFO_TIMEOUT_HOURS": "24"}).needs_info_timeout_hours == 24
    with pytest.raises(ConfigError, match="HUB_NEEDS_INFO_TIMEOUT_HOURS"):
        Settings.from_env({"HUB_ENV": "test", "SECRET_KEY": KEY, "HUB_NEEDS_INFO_TIMEOUT_HOURS": "two days"})
