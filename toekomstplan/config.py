"""Configuration read from environment variables (see .env.example)."""

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings for every environment; production tightens a few in `check_production`."""

    def __init__(self, instance_path: str):
        env = os.environ.get("TOEKOMSTPLAN_ENV", "development")
        self.ENV_NAME = env
        self.DEBUG = _bool("FLASK_DEBUG", False)
        self.TESTING = False
        self.SECRET_KEY = os.environ.get("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or (
            "sqlite:///" + str(Path(instance_path) / "toekomstplan.sqlite")
        )
        # A server connection can drop between requests; a local SQLite file cannot.
        self.SQLALCHEMY_ENGINE_OPTIONS = {
            "pool_pre_ping": not self.SQLALCHEMY_DATABASE_URI.startswith("sqlite")
        }
        self.UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(
            Path(instance_path).parent / "uploads"
        )
        self.BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        trusted = os.environ.get("TRUSTED_HOSTS")
        self.TRUSTED_HOSTS = [h.strip() for h in trusted.split(",")] if trusted else None

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", env == "production")
        self.SESSION_COOKIE_NAME = "tp_session"
        self.SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 120)
        self.SESSION_MAX_HOURS = _int("SESSION_MAX_HOURS", 12)
        self.PERMANENT_SESSION_LIFETIME = self.SESSION_MAX_HOURS * 3600
        # The server ends idle and old sessions (auth/sessions.py), so the cookie need not be
        # re-signed and re-sent with every page: only when the session changes.
        self.SESSION_REFRESH_EACH_REQUEST = False

        # Static URLs carry a content hash (web.static_url), so browsers may keep them a year.
        self.SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the login session
        self.MAX_CONTENT_LENGTH = _int("MAX_FORM_BYTES", 1024 * 1024)

        # Rendered plan pages kept per process (see pagecache.py); 0 turns the cache off.
        self.PAGE_CACHE_SIZE = _int("PAGE_CACHE_SIZE", 256)
        self.PAGE_CACHE_SECONDS = _int("PAGE_CACHE_SECONDS", 600)

        # Photos and videos: the biggest upload, a plan's storage, decoded pixels per photo.
        self.UPLOAD_MAX_BYTES = _int("UPLOAD_MAX_MB", 500) * 1024 * 1024
        self.MEDIA_QUOTA_BYTES = _int("MEDIA_QUOTA_MB", 2048) * 1024 * 1024
        self.MAX_IMAGE_PIXELS = _int("MAX_IMAGE_PIXELS", 50_000_000)
        # With a reverse proxy: the internal location that serves UPLOAD_DIR (X-Accel-Redirect).
        self.MEDIA_X_ACCEL_PREFIX = os.environ.get("MEDIA_X_ACCEL_PREFIX")

        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        self.LOGIN_LIMIT = os.environ.get("LOGIN_LIMIT", "5 per 15 minutes")
        # Support workers see many plans: the organisation can make two-step login a must.
        self.REQUIRE_TWO_STEP_FOR_SUPPORTERS = _bool("REQUIRE_TWO_STEP_FOR_SUPPORTERS", False)

        self.MAIL_SERVER = os.environ.get("MAIL_SERVER")
        self.MAIL_PORT = _int("MAIL_PORT", 587)
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "Toekomstplan <noreply@localhost>")
        self.MAIL_OUTBOX = str(Path(instance_path) / "outbox")

        self.BABEL_DEFAULT_LOCALE = "nl"
        self.LANGUAGES = ("nl", "en")
        self.RESET_TOKEN_HOURS = _int("RESET_TOKEN_HOURS", 2)
        self.ADMIN_RESET_TOKEN_HOURS = _int("ADMIN_RESET_TOKEN_HOURS", 48)
        self.CONFIRM_TOKEN_HOURS = _int("CONFIRM_TOKEN_HOURS", 72)

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}


def instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class ConfigError(RuntimeError):
    """The configuration is unsafe for the environment it runs in."""


def check_production(config: dict) -> None:
    """Refuse to run in production with debug on or without a proper secret key."""
    if config.get("ENV_NAME") != "production":
        return
    if config.get("DEBUG"):
        raise ConfigError("FLASK_DEBUG must be off in production.")
    key = config.get("SECRET_KEY") or ""
    if len(key) < 32:
        raise ConfigError("Set SECRET_KEY (at least 32 random characters) in production.")
    if not config.get("TRUSTED_HOSTS"):
        raise ConfigError("Set TRUSTED_HOSTS (comma-separated host names) in production.")
