"""Configuration read from the environment, with safe defaults for a local run."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from coalition import limits


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, or one generated once into the instance folder.

    Never a constant in code: a key in the repository would sign every deployment's
    sessions and reset links alike.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _local_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'coalition.sqlite3'}"


def _database_url(instance_path: Path) -> str:
    return os.environ.get("DATABASE_URL") or _local_database_url(instance_path)


#: Where links in mail point when PUBLIC_URL is unset outside production: `make run`.
LOCAL_PUBLIC_URL = "http://127.0.0.1:5000"


def _with_driver(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def load(instance_path: Path) -> dict:
    env = os.environ.get
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "DATABASE_URL": _database_url(instance_path),
        "LOCAL_DATABASE_URL": _local_database_url(instance_path),
        #: Seconds to wait for a database connection (TCP connect and login, and for a
        #: free connection in the pool) before answering 503.
        "DATABASE_CONNECT_TIMEOUT": float(env("DATABASE_CONNECT_TIMEOUT", "5")),
        #: Seconds one SQL statement may run before PostgreSQL cancels it (503).
        "DATABASE_STATEMENT_TIMEOUT": float(env("DATABASE_STATEMENT_TIMEOUT", "30")),
        #: The site's address as its readers reach it, e.g. https://coalition.example.org;
        #: every link in mail starts with it. Required in production (see derive()).
        "PUBLIC_URL": env("PUBLIC_URL") or None,
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SERVER_NAME": env("SERVER_NAME") or None,
        "PREFERRED_URL_SCHEME": env("PREFERRED_URL_SCHEME", "http"),
        # Requests larger than this are refused (413) before any view reads them; the
        # largest upload (a CSV of codes) is the largest request.
        "MAX_CONTENT_LENGTH": limits.UPLOAD_BYTES_MAX,
        #: Number of reverse proxies in front of the app whose X-Forwarded-* to trust.
        "PROXY_FIX_HOPS": int(env("PROXY_FIX_HOPS", "0")),
        # Sessions and cookies.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env("SESSION_COOKIE_SECURE", "0") == "1",
        "WTF_CSRF_TIME_LIMIT": None,
        # Mail: MAIL_SERVER unset means "write mail to the console" (development).
        "MAIL_SERVER": env("MAIL_SERVER") or None,
        "MAIL_PORT": int(env("MAIL_PORT", "25")),
        "MAIL_USERNAME": env("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env("MAIL_USE_TLS", "0") == "1",
        "MAIL_DEFAULT_SENDER": env("MAIL_DEFAULT_SENDER", "Coalition <no-reply@localhost>"),
        #: Seconds to wait for the mail server (the worker's, never a request's).
        "MAIL_TIMEOUT": float(env("MAIL_TIMEOUT", "10")),
        #: Attempts before a message is marked failed (staff can retry it).
        "MAIL_MAX_ATTEMPTS": int(env("MAIL_MAX_ATTEMPTS", "8")),
        #: Seconds before the first retry; doubled after each failure, up to the maximum.
        "MAIL_RETRY_DELAY": int(env("MAIL_RETRY_DELAY", "60")),
        "MAIL_RETRY_MAX_DELAY": int(env("MAIL_RETRY_MAX_DELAY", str(6 * 3600))),
        #: Seconds a worker's claim on a message lasts: far longer than one SMTP exchange
        #: (MAIL_TIMEOUT), so that a live worker never loses it, short enough that a dead
        #: worker's messages go out soon.
        "MAIL_LEASE": int(env("MAIL_LEASE", "300")),
        "MAIL_KEEP_SENT_DAYS": int(env("MAIL_KEEP_SENT_DAYS", "30")),
        #: Hours before a meeting its invitees' delegates are reminded of it.
        "REMINDER_HOURS": float(env("REMINDER_HOURS", "24")),
        #: Seconds between two turns of `flask worker`.
        "WORKER_INTERVAL": float(env("WORKER_INTERVAL", "5")),
        #: Run the worker in a thread of the development server (make run sets it).
        "WORKER_THREAD": env("COALITION_WORKER_THREAD", "0") == "1",
        # Rate limits: memory:// counts per process, so it is accepted only where one process
        # serves every request (see refuse_per_process_rate_limits); Redis everywhere else.
        "RATELIMIT_STORAGE_URI": env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env("LOGIN_RATE_LIMIT", "10 per minute;50 per hour"),
        # Kept answers (coalition.caching.responses): shared by every worker and server in
        # Redis when CACHE_REDIS_URL is set, else kept per process; a change of data is
        # seen at once either way, what depends on the clock within RESPONSE_CACHE_SECONDS.
        "RESPONSE_CACHE": env("RESPONSE_CACHE", "1") == "1",
        "RESPONSE_CACHE_SECONDS": int(env("RESPONSE_CACHE_SECONDS", "60")),
        "CACHE_REDIS_URL": env("CACHE_REDIS_URL", ""),
        #: Deployments sharing one Redis need a prefix each.
        "CACHE_KEY_PREFIX": env("CACHE_KEY_PREFIX", "coalition"),
        #: argon2 parameters: "strong" (RFC 9106 low-memory); tests use "cheapest".
        "PASSWORD_HASH_PROFILE": env("PASSWORD_HASH_PROFILE", "strong"),
        "PASSWORD_RESET_MAX_AGE": int(env("PASSWORD_RESET_MAX_AGE", str(2 * 3600))),
        # Languages.
        "LANGUAGES": ("en", "fr"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # Lists.
        "PER_PAGE": 50,
        # OpenAPI (flask-smorest).
        "API_TITLE": "Coalition",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Printed demo accounts only when the demo is loaded on purpose.
        "DEMO": env("COALITION_DEMO", "0") == "1",
    }


def is_production(config: dict) -> bool:
    """Production is any run that is neither debugging, nor testing, nor on the local
    SQLite database of `make run` (the default when DATABASE_URL is unset)."""
    return not (
        config.get("DEBUG")
        or config.get("TESTING")
        or config["DATABASE_URL"] == _with_driver(config["LOCAL_DATABASE_URL"])
    )


def derive(config: dict) -> None:
    """Settings computed from others once the environment and any test overrides are in:
    Flask-SQLAlchemy reads SQLALCHEMY_*, which follow DATABASE_URL.

    Raises RuntimeError in production without PUBLIC_URL: links in mail must not be
    guessed from a request.
    """
    from coalition.db import engine_options

    url = config["DATABASE_URL"] = _with_driver(config["DATABASE_URL"])
    config["SQLALCHEMY_DATABASE_URI"] = url
    config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(
            url,
            connect_timeout=config["DATABASE_CONNECT_TIMEOUT"],
            statement_timeout=config["DATABASE_STATEMENT_TIMEOUT"],
        ),
    )
    if not config.get("PUBLIC_URL"):
        if is_production(config):
            raise RuntimeError(
                "PUBLIC_URL is not set. Set it to the address readers use to reach the "
                "site (e.g. https://coalition.example.org): links in e-mail are built "
                "from it, never from a request's Host header."
            )
        config["PUBLIC_URL"] = LOCAL_PUBLIC_URL
    public = urlsplit(config["PUBLIC_URL"])
    if public.scheme not in ("http", "https") or not public.netloc or public.query:
        raise RuntimeError(f"PUBLIC_URL must be an http(s) address, not {config['PUBLIC_URL']!r}")
    refuse_per_process_rate_limits(config)


#: Storages whose counters live in one process's memory.
_PER_PROCESS_STORAGES = ("memory://", "async+memory://")


def refuse_per_process_rate_limits(config: dict) -> None:
    """Refuse to start when the login rate limit cannot hold.

    With a per-process storage, each of gunicorn's workers (and each app server) counts
    on its own: `-w 3` lets 30 attempts through where the limit says 10. Such a storage
    is accepted only where one process serves every request: Flask's development server
    (`flask run`, which `make run` uses; the flask command sets FLASK_RUN_FROM_CLI, also
    for commands such as `flask db upgrade` that serve nothing) and the tests. Anywhere
    else the app does not start until RATELIMIT_STORAGE_URI names a shared storage.
    """
    storage = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if (
        not storage.startswith(_PER_PROCESS_STORAGES)
        or not config.get("RATELIMIT_ENABLED", True)
        or config.get("TESTING")
        or os.environ.get("FLASK_RUN_FROM_CLI") == "true"
    ):
        return
    raise RuntimeError(
        f"RATELIMIT_STORAGE_URI={storage} keeps the login rate limit in each process's "
        "memory, so that several workers or app servers would each allow the full limit. "
        "Set RATELIMIT_STORAGE_URI to a storage they share, such as "
        "redis://127.0.0.1:6379/0 (memory:// is accepted only under `flask run`)."
    )
