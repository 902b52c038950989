"""What other features do when memberships start or end, without the membership machine
knowing them: they register a callback here when imported (meetings keeps its
invitations in step with memberships this way), and the machine calls every callback in
the same transaction as the change.

Callbacks take a body and the participants whose membership in it started (or ended),
so that a bulk addition of 193 participants costs each feature one statement, not 193.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: hook(body_id, participant_ids)
MembershipHook = Callable[[int, Sequence[int]], None]

_activated: list[MembershipHook] = []
_ended: list[MembershipHook] = []


def on_memberships_activated(hook: MembershipHook) -> MembershipHook:
    """Call *hook(body_id, participant_ids)* whenever memberships become active."""
    if hook not in _activated:
        _activated.append(hook)
    return hook


def on_memberships_ended(hook: MembershipHook) -> MembershipHook:
    """Call *hook(body_id, participant_ids)* whenever active memberships end."""
    if hook not in _ended:
        _ended.append(hook)
    return hook


def memberships_activated(body_id: int, participant_ids: Sequence[int]) -> None:
    for hook in _activated:
        hook(body_id, participant_ids)


def memberships_ended(body_id: int, participant_ids: Sequence[int]) -> None:
    for hook in _ended:
        hook(body_id, participant_ids)
