"""Typed settings, read once from the environment when the app is created.

Production is the default so that a forgotten variable never leaves a live hub
running with development conveniences; secrets have no default at all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

ENVIRONMENTS = ("development", "test", "production")
DEMO_PARTNERSHIP = Path(__file__).resolve().parent / "partnership" / "data" / "worcestershire-demo.yaml"


class ConfigError(RuntimeError):
    """A setting is missing or malformed; start-up stops with this message."""


def _count(name: str, raw: str | None) -> int:
    if raw is None:
        return 0
    if not raw.isdigit() or int(raw) > 5:
        raise ConfigError(f"{name} must be a number of proxies from 0 to 5, not {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class Settings:
    env: str
    secret_key: str
    database_url: str
    redis_url: str | None
    partnership_path: Path
    public_url: str | None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None
    twilio_api_base_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    email_from: str | None = None
    inbound_email_token: str | None = None
    imap_host: str | None = None
    imap_port: int = 143
    imap_username: str | None = None
    imap_password: str | None = None
    imap_folder: str = "INBOX"
    open311_api_keys: tuple[str, ...] = ()
    # A case waiting for the citizen's answer (needs_info) goes to advisers after this long.
    needs_info_timeout_hours: int = 48
    # Reverse proxies in front of the hub (0: none). Rate limits count per client address,
    # which only the proxy knows (X-Forwarded-For).
    proxy_count: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    @property
    def secure_cookies(self) -> bool:
        return bool(self.public_url and self.public_url.startswith("https://"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, instance_path: str | Path = "instance") -> "Settings":
        """Build and validate settings; raise ConfigError with a plain message on any problem."""
        env = dict(os.environ if environ is None else environ)

        def opt(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        hub_env = (opt("HUB_ENV") or "production").lower()
        if hub_env not in ENVIRONMENTS:
            raise ConfigError(f"HUB_ENV must be one of {', '.join(ENVIRONMENTS)}, not {hub_env!r}")

        secret = opt("SECRET_KEY")
        if secret is None:
            # Only a developer's own machine may sign sessions with a published key: a staging
            # server run with HUB_ENV=test would otherwise accept forged staff sessions.
            if hub_env != "development":
                raise ConfigError(
                    f"SECRET_KEY is not set (HUB_ENV={hub_env}). Set it to a long random value "
                    "(python -c 'import secrets; print(secrets.token_hex(32))') or use HUB_ENV=development."
                )
            secret = "insecure-development-key"

        database_url = opt("DATABASE_URL") or f"sqlite:///{Path(instance_path).resolve() / 'hub.db'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
        if not database_url.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql:// URL")

        public_url = opt("HUB_PUBLIC_URL")
        if public_url and not public_url.startswith(("http://", "https://")):
            raise ConfigError("HUB_PUBLIC_URL must start with http:// or https://")

        def port(name: str, default: int) -> int:
            raw = opt(name)
            if raw is None:
                return default
            if not raw.isdigit() or not 0 < int(raw) < 65536:
                raise ConfigError(f"{name} must be a port number, not {raw!r}")
            return int(raw)

        timeout_raw = opt("HUB_NEEDS_INFO_TIMEOUT_HOURS") or "48"
        if not timeout_raw.isdigit() or int(timeout_raw) < 1:
            raise ConfigError(f"HUB_NEEDS_INFO_TIMEOUT_HOURS must be a whole number of hours, not {timeout_raw!r}")

        return cls(
            env=hub_env,
            secret_key=secret,
            database_url=database_url,
            redis_url=opt("REDIS_URL"),
            partnership_path=Path(opt("HUB_PARTNERSHIP") or DEMO_PARTNERSHIP),
            public_url=public_url.rstrip("/") if public_url else None,
            twilio_account_sid=opt("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=opt("TWILIO_AUTH_TOKEN"),
            twilio_from=opt("TWILIO_FROM"),
            twilio_api_base_url=opt("TWILIO_API_BASE_URL"),
            smtp_host=opt("SMTP_HOST"),
            smtp_port=port("SMTP_PORT", 25),
            smtp_username=opt("SMTP_USERNAME"),
            smtp_password=opt("SMTP_PASSWORD"),
            smtp_starttls=(opt("SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"),
            email_from=opt("HUB_EMAIL_FROM"),
            inbound_email_token=opt("HUB_INBOUND_EMAIL_TOKEN"),
            imap_host=opt("IMAP_HOST"),
            imap_port=port("IMAP_PORT", 143),
            imap_username=opt("IMAP_USERNAME"),
            imap_password=opt("IMAP_PASSWORD"),
            imap_folder=opt("IMAP_FOLDER") or "INBOX",
            open311_api_keys=tuple(k.strip() for k in (opt("HUB_OPEN311_API_KEYS") or "").split(",") if k.strip()),
            needs_info_timeout_hours=int(timeout_raw),
            proxy_count=_count("HUB_PROXY_COUNT", opt("HUB_PROXY_COUNT")),
        )
