"""What a delegate's dashboard shows."""

from __future__ import annotations


def dashboard_context(user) -> dict:
    return {}
