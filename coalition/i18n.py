"""Language and time-zone selection, and localized names and times for templates."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_timezone_name
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user


def select_locale() -> str:
    """The user's saved choice, else this session's choice, else the browser's wish."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, e-mail rendering outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    if not has_request_context():
        return "UTC"
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return session.get("timezone") or "UTC"


def language_name(code: str) -> str:
    """A language named in itself (English, français), as a switcher should show it."""
    return Locale.parse(code).get_display_name(code) or code


def country_name(alpha2: str, locale: str | None = None) -> str:
    """A state's short name in the reader's language, from CLDR."""
    loc = Locale.parse(locale or str(get_locale()))
    return loc.territories.get(alpha2.upper(), alpha2)


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    """A time in the viewer's zone, with the zone named ("… (Central European Time)")."""
    if value is None:
        return ""
    zone = get_timezone()
    locale = get_locale()
    text = babel_format_datetime(value, format=format, tzinfo=zone, locale=locale)
    return f"{text} ({zone_label(str(zone), value)})"


def zone_label(zone_key: str, when: datetime | None = None) -> str:
    """The IANA key and its offset at that moment, e.g. "Europe/Paris, UTC+01:00"."""
    if zone_key in ("UTC", "Etc/UTC"):
        return "UTC"
    zone = ZoneInfo(zone_key)
    moment = (when or datetime.now(zone)).astimezone(zone)
    offset = moment.strftime("%z")
    return f"{zone_key}, UTC{offset[:3]}:{offset[3:]}"


def zone_display_name(zone_key: str) -> str:
    return get_timezone_name(ZoneInfo(zone_key), locale=get_locale())


_ZONES: list[str] | None = None


def timezone_choices() -> list[str]:
    """Every canonical IANA zone, sorted, for a select box."""
    global _ZONES
    if _ZONES is None:
        _ZONES = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
    return _ZONES
