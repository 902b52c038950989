from flask import Blueprint

bp = Blueprint("participants", __name__)


@bp.get("/participants")
def directory() -> str:
    return "TODO"


@bp.get("/participants/claim")
def claim() -> str:
    return "TODO"
