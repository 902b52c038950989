from flask import Blueprint

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
def inbox() -> str:
    return "TODO"
