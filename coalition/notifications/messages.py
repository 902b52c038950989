"""What each kind of notification says, translated when it is shown or sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext

from coalition.i18n import names_language
from coalition.participants.countries import state_name


def _state_name(code: str | None) -> str | None:
    """A state's UNTERM name in the reader's language, from its alpha-3 code (no database)."""
    if not code or len(code) != 3:
        return None
    return state_name(code, names_language())


#: kind → renderer, for features that keep their messages with them (meetings).
RENDERERS: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {}


def render(kind: str, data: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of a notification, in the current locale."""
    d = {k: v if v is not None else "" for k, v in data.items()}
    if kind in RENDERERS:
        return RENDERERS[kind](d)
    state = _state_name(d.get("participant_code"))
    if state:
        d["participant"] = state
    if kind == "representation.claimed":
        return (
            gettext("Claim to verify: %(user)s for %(participant)s", **d),
            gettext(
                "%(user)s asks to represent %(participant)s. Verify or reject the claim "
                "in the Secretariat's tools.",
                **d,
            ),
        )
    if kind == "representation.verified":
        return (
            gettext("You now represent %(participant)s", **d),
            gettext(
                "Staff verified that you represent %(participant)s. You can now act for it.", **d
            ),
        )
    if kind == "representation.rejected":
        return (
            gettext("Your claim to represent %(participant)s was rejected", **d),
            gettext(
                "Staff rejected your claim to represent %(participant)s. Reason: %(reason)s", **d
            ),
        )
    if kind == "representation.ended":
        return (
            gettext("You no longer represent %(participant)s", **d),
            gettext("Your representation of %(participant)s has ended. Reason: %(reason)s", **d),
        )
    if kind == "membership.requested":
        return (
            gettext("%(participant)s asks to join %(body)s", **d),
            gettext(
                "%(participant)s asks to join %(body)s. As a co-chair, approve or decline "
                "the request.",
                **d,
            ),
        )
    if kind == "membership.approved":
        return (
            gettext("%(participant)s is now a member of %(body)s", **d),
            gettext("The co-chairs approved the request of %(participant)s to join %(body)s.", **d),
        )
    if kind == "membership.declined":
        return (
            gettext("Request to join %(body)s declined", **d),
            gettext(
                "The co-chairs declined the request of %(participant)s to join %(body)s. "
                "Reason: %(reason)s",
                **d,
            ),
        )
    if kind == "membership.invited":
        return (
            gettext("%(participant)s is invited to join %(body)s", **d),
            gettext(
                "%(participant)s is invited to join %(body)s. Accept or decline the invitation.",
                **d,
            ),
        )
    if kind == "membership.invitation_accepted":
        return (
            gettext("%(participant)s accepted the invitation to %(body)s", **d),
            gettext("%(participant)s accepted the invitation and joined %(body)s.", **d),
        )
    if kind == "membership.invitation_declined":
        return (
            gettext("%(participant)s declined the invitation to %(body)s", **d),
            gettext("%(participant)s declined the invitation to join %(body)s.", **d),
        )
    if kind == "membership.withdrawn":
        subject = gettext("%(participant)s withdrew from %(body)s", **d)
        if d.get("reason"):
            return subject, gettext(
                "%(participant)s withdrew from %(body)s. Reason given: %(reason)s", **d
            )
        return subject, gettext("%(participant)s withdrew from %(body)s.", **d)
    if kind == "membership.request_cancelled":
        return (
            gettext("%(participant)s cancelled its request to join %(body)s", **d),
            gettext(
                "%(participant)s cancelled its request to join %(body)s: no decision is "
                "needed any more.",
                **d,
            ),
        )
    if kind == "membership.removed":
        return (
            gettext("%(participant)s was removed from %(body)s", **d),
            gettext("%(participant)s was removed from %(body)s. Reason: %(reason)s", **d),
        )
    if kind == "membership.added":
        return (
            gettext("%(participant)s is now a member of %(body)s", **d),
            gettext(
                "%(participant)s was added to %(body)s. Its delegates now take part in its "
                "work and meetings.",
                **d,
            ),
        )
    if kind == "membership.left_with_initiative":
        return (
            gettext("%(participant)s is no longer a member of %(body)s", **d),
            gettext(
                "%(participant)s left the initiative %(initiative)s: its membership of the "
                "working group %(body)s has ended with it.",
                **d,
            ),
        )
    if kind == "membership.term_ended":
        return (
            gettext("The term of %(participant)s in %(body)s has ended", **d),
            gettext(
                "The term of %(participant)s in %(body)s has ended: it is no longer a member.",
                **d,
            ),
        )
    return (gettext("Notification"), gettext("Something happened on Coalition."))


def resolution(data: dict[str, Any] | None) -> str:
    """What became of what a notice asked (a request decided by the other co-chair, say),
    in the current locale: "Dealt with: approved by France."."""
    d = data or {}
    action = d.get("action")
    who = _state_name(d.get("by_code")) or d.get("by_name")
    if not who and d.get("by_staff"):
        who = gettext("the Secretariat")
    if action == "membership.approve":
        if who:
            return gettext("Dealt with: approved by %(who)s.", who=who)
        return gettext("Dealt with: approved.")
    if action == "membership.decline":
        if who:
            return gettext("Dealt with: declined by %(who)s.", who=who)
        return gettext("Dealt with: declined.")
    if action == "membership.cancel":
        return gettext("Dealt with: the request was cancelled.")
    if action == "membership.accept":
        return gettext("Dealt with: the invitation was accepted.")
    if action == "membership.decline_invitation":
        return gettext("Dealt with: the invitation was declined.")
    if action == "membership.revoke":
        return gettext("Dealt with: the invitation was revoked.")
    return gettext("Dealt with.")
