from flask import Blueprint

bp = Blueprint("initiatives", __name__)


@bp.get("/initiatives")
def directory() -> str:
    return "TODO"


@bp.get("/matrix")
def matrix() -> str:
    return "TODO"
