"""Configuration read from environment variables (see .env.example), one group at a time."""

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


def _site() -> dict:
    env = os.environ.get("TOEKOMSTPLAN_ENV", "development")
    trusted = os.environ.get("TRUSTED_HOSTS")
    return {
        "ENV_NAME": env,
        "DEBUG": _bool("FLASK_DEBUG", False),
        "TESTING": False,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TRUSTED_HOSTS": [h.strip() for h in trusted.split(",")] if trusted else None,
        # Proxies in front of the app (nginx: 1). 0 trusts no X-Forwarded-* header at all.
        "PROXY_HOPS": _int("PROXY_HOPS", 0),
        # Static URLs carry a content hash (templating.static_url): browsers may keep them.
        "SEND_FILE_MAX_AGE_DEFAULT": 365 * 24 * 3600,
        "MAX_CONTENT_LENGTH": _int("MAX_FORM_BYTES", 1024 * 1024),
        # Rendered plan pages kept per process (see pagecache.py); 0 turns the cache off.
        "PAGE_CACHE_SIZE": _int("PAGE_CACHE_SIZE", 256),
        "PAGE_CACHE_SECONDS": _int("PAGE_CACHE_SECONDS", 600),
    }


def _database(instance: Path) -> dict:
    uri = os.environ.get("DATABASE_URL") or "sqlite:///" + str(instance / "toekomstplan.sqlite")
    # A server connection can drop between requests; a local SQLite file cannot.
    return {
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not uri.startswith("sqlite")},
    }


def _sessions(env: str) -> dict:
    max_hours = _int("SESSION_MAX_HOURS", 12)
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", env == "production"),
        "SESSION_COOKIE_NAME": "tp_session",
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 120),
        "SESSION_MAX_HOURS": max_hours,
        "PERMANENT_SESSION_LIFETIME": max_hours * 3600,
        # The server ends idle and old sessions (auth/sessions.py), so the cookie need not be
        # re-signed and re-sent with every page: only when the session changes.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the login session
        # Throttles count across every worker and host only in a store they all see: Redis
        # in production (redis://host:6379/0); memory:// counts per process (development).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # While that store is unreachable, count per process (and log it) rather than not.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "LOGIN_LIMIT": os.environ.get("LOGIN_LIMIT", "5 per 15 minutes"),
        # Support workers see many plans: the organisation can make two-step login a must.
        "REQUIRE_TWO_STEP_FOR_SUPPORTERS": _bool("REQUIRE_TWO_STEP_FOR_SUPPORTERS", False),
        # An organisation's OpenID provider must be https; the tests' provider on 127.0.0.1
        # is plain http, allowed only with this test-only setting (never in production).
        "OIDC_ALLOW_HTTP_LOOPBACK": env != "production"
        and _bool("OIDC_ALLOW_HTTP_LOOPBACK", False),
    }


def _media(instance: Path) -> dict:
    mb = 1024 * 1024
    return {
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR") or str(instance.parent / "uploads"),
        "STORAGE_URL": os.environ.get("STORAGE_URL", ""),
        # The biggest upload, a plan's storage, decoded pixels per photo.
        "UPLOAD_MAX_BYTES": _int("UPLOAD_MAX_MB", 500) * mb,
        "MEDIA_QUOTA_BYTES": _int("MEDIA_QUOTA_MB", 2048) * mb,
        "MAX_IMAGE_PIXELS": _int("MAX_IMAGE_PIXELS", 50_000_000),
        # Uploads one person may have in flight at once, on every process and host together.
        "UPLOADS_IN_FLIGHT": _int("UPLOADS_IN_FLIGHT", 3),
        # A video processing for longer than this lost its job and is queued again.
        "VIDEO_JOB_SECONDS": _int("VIDEO_JOB_SECONDS", 20 * 60),
        # With a reverse proxy: the internal location that serves UPLOAD_DIR (X-Accel-Redirect).
        "MEDIA_X_ACCEL_PREFIX": os.environ.get("MEDIA_X_ACCEL_PREFIX"),
    }


def _mail(instance: Path) -> dict:
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": _int("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Toekomstplan <noreply@localhost>"),
        "MAIL_OUTBOX": str(instance / "outbox"),
    }


def _accounts() -> dict:
    return {
        "BABEL_DEFAULT_LOCALE": "nl",
        # Times are stored in UTC and shown in Dutch time, summer and winter.
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "LANGUAGES": ("nl", "en"),
        "RESET_TOKEN_HOURS": _int("RESET_TOKEN_HOURS", 2),
        "ADMIN_RESET_TOKEN_HOURS": _int("ADMIN_RESET_TOKEN_HOURS", 48),
        "CONFIRM_TOKEN_HOURS": _int("CONFIRM_TOKEN_HOURS", 72),
    }


def from_environment(instance_path: str) -> dict:
    """Return every setting, from the environment or its default for development."""
    instance = Path(instance_path)
    site = _site()
    return {
        **site,
        **_database(instance),
        **_sessions(site["ENV_NAME"]),
        **_media(instance),
        **_mail(instance),
        **_accounts(),
    }


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
    """Refuse to run in production with debug on, without a proper secret key, with
    throttles that count per process or with mail that never leaves the machine."""
    if config.get("ENV_NAME") != "production":
        return
    if config.get("DEBUG"):
        raise ConfigError("FLASK_DEBUG must be off in production.")
    key = config.get("SECRET_KEY") or ""
    if len(key) < 32:
        raise ConfigError("Set SECRET_KEY (at least 32 random characters) in production.")
    if not config.get("TRUSTED_HOSTS"):
        raise ConfigError("Set TRUSTED_HOSTS (comma-separated host names) in production.")
    throttles = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if config.get("RATELIMIT_ENABLED", True) and throttles.startswith("memory://"):
        raise ConfigError(
            "Set RATELIMIT_STORAGE_URI=redis://HOST:6379/0 in production: throttles kept in "
            "memory count per process, so five wrong passwords spread over the workers and "
            "hosts would never lock anyone out."
        )
    if not config.get("MAIL_SERVER"):
        raise ConfigError(
            "Set MAIL_SERVER (and MAIL_USERNAME, MAIL_PASSWORD) in production: the outbox "
            "folder is for development."
        )
