"""The one guard of the Secretariat's pages, wherever their feature keeps them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask_login import current_user, login_required

from coalition import permissions

P = ParamSpec("P")
R = TypeVar("R")


def staff_only(view: Callable[P, R]) -> Callable[P, R]:
    """Anonymous readers log in first; everyone else needs staff rights (403)."""

    @wraps(view)
    @login_required
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        permissions.require(permissions.is_staff(current_user))
        return view(*args, **kwargs)

    return guarded
