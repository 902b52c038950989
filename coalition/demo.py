"""A realistic demo: organizations, people, endorsements, initiatives (idempotent)."""

from __future__ import annotations


def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo; returns the demo accounts as (e-mail, password, what it is)."""
    return []
