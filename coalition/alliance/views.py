from flask import Blueprint

bp = Blueprint("alliance", __name__)


@bp.get("/alliance")
def declaration() -> str:
    return "TODO"
