"""Language and time-zone selection, and localized names and times for templates."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as time_of_day
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, negotiate_locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone, gettext
from flask_login import current_user

#: The six official languages of the United Nations, in the UN's order. States are named
#: in each of them; the interface speaks those of LANGUAGES.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def is_api_request() -> bool:
    return has_request_context() and request.path.startswith("/api/")


def select_locale() -> str:
    """The user's saved choice, else this session's choice, else the browser's wish.

    API requests speak the language their Accept-Language asks for, whoever sends them:
    a script's answers do not change with a session cookie or its owner's settings.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line, e-mail rendering outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if is_api_request():
        return accepted_language(languages) or languages[0]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return accepted_language(languages) or languages[0]


def accepted_language(available: Sequence[str]) -> str | None:
    """The first of the request's Accept-Language wishes, by quality, that *available*
    has, a regional variant counting for its language ("fr-CH, en;q=0.5" is French)."""
    wishes = [value for value, _quality in request.accept_languages if value != "*"]
    return negotiate_locale(wishes, list(available), sep="-")


#: The cookie in which static/js/timezone.js leaves the browser's IANA zone.
ZONE_COOKIE = "tz"


class ZoneSource(enum.StrEnum):
    """Where the zone in which a reader sees times comes from."""

    #: Chosen with the switch, for this session (over the account's setting).
    SWITCH = "switch"
    #: The account's setting.
    ACCOUNT = "account"
    #: The browser's zone, as its script reported it.
    BROWSER = "browser"
    #: Nothing known: UTC.
    DEFAULT = "default"


def viewer_zone() -> tuple[str, ZoneSource]:
    """The reader's zone and where it comes from: the switch's choice for this session,
    else the account's setting, else the browser's zone, else UTC. Values from the
    session and the cookie are used only if they name a known zone."""
    if not has_request_context():
        return "UTC", ZoneSource.DEFAULT
    chosen = session.get("timezone")
    if is_known_zone(chosen):
        return chosen, ZoneSource.SWITCH
    if current_user and current_user.is_authenticated and is_known_zone(current_user.timezone):
        return current_user.timezone, ZoneSource.ACCOUNT
    browser = request.cookies.get(ZONE_COOKIE)
    if is_known_zone(browser):
        return browser, ZoneSource.BROWSER
    return "UTC", ZoneSource.DEFAULT


def select_timezone() -> ZoneInfo:
    # A ZoneInfo, not a name: Flask-Babel would look a name up in pytz, whose zone
    # list need not be the one the zone was checked against.
    return ZoneInfo(viewer_zone()[0])


def language_name(code: str) -> str:
    """A language named in itself (English, français), as a switcher should show it."""
    return Locale.parse(code).get_display_name(code) or code


def names_language() -> str:
    """The language in which states are named: the interface's (the page's, or the
    recipient's while a notification is written)."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def api_names_language() -> str:
    """The language in which the API names states: the best of the six UN languages for
    the request's Accept-Language, English by default (names exist in all six, where
    the interface speaks two)."""
    return accepted_language(UN_LANGUAGES) or "en"


#: One way to write a day in every language, day first: "30 Sep 2021", "30 sept. 2021".
DAY_PATTERN = "d MMM y"


def format_day(value: datetime | date | None) -> str:
    """The day of a moment, in the viewer's zone and language ("30 Sep 2021"); a date as
    it is."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(get_timezone()).date()
    return _format_date(value, str(get_locale()))


@lru_cache(maxsize=4096)
def _format_date(day: date, locale: str) -> str:
    # Rosters show thousands of days, most of them shared: each is formatted once.
    return babel_format_date(day, format=DAY_PATTERN, locale=locale)


def format_datetime(value: datetime | None) -> str:
    """A time in the viewer's zone, to the minute, with the zone named: "30 Sep 2021,
    3:36 PM (Europe/Paris, UTC+02:00)"; in French "30 sept. 2021, 15:36 (…)"."""
    if value is None:
        return ""
    zone = get_timezone()
    locale = get_locale()
    local = value.astimezone(zone)
    locale_key = str(locale)
    day = _format_date(local.date(), locale_key)
    time = _format_short_time(local.hour, local.minute, locale_key)
    return f"{day}, {time} ({zone_label(str(zone), value)})"


@lru_cache(maxsize=4096)
def _format_short_time(hour: int, minute: int, locale: str) -> str:
    # The short time shows hours and minutes only: a day has 1,440, each formatted once
    # per language instead of once per value (an audit page shows a hundred).
    return babel_format_time(time_of_day(hour, minute), format="short", locale=locale)


def format_recorded(value: object) -> object:
    """A value kept as text in a record (an audit event's before and after): an instant
    ("2026-11-23T15:36:29+00:00") shown as format_datetime shows it, anything else as is."""
    if isinstance(value, str) and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return format_datetime(moment)
    return value


def zone_label(zone_key: str, when: datetime | None = None) -> str:
    """The IANA key and its offset at that moment, e.g. "Europe/Paris, UTC+01:00"."""
    if zone_key in ("UTC", "Etc/UTC"):
        return "UTC"
    zone = ZoneInfo(zone_key)
    moment = (when or datetime.now(zone)).astimezone(zone)
    offset = moment.strftime("%z")
    return f"{zone_key}, UTC{offset[:3]}:{offset[3:]}"


@cache
def timezone_choices() -> list[str]:
    """Every canonical IANA zone, sorted, for a select box."""
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(timezone_choices())


def is_known_zone(key: object) -> bool:
    """Whether *key* names a zone of timezone_choices() (and so one ZoneInfo loads)."""
    return isinstance(key, str) and key in _known_zones()


def unknown_zone_message(key: str | None) -> str:
    return gettext(
        "Unknown time zone %(zone)s: choose an IANA zone such as Africa/Accra.", zone=key or "-"
    )
