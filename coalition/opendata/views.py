from flask import Blueprint

bp = Blueprint("opendata", __name__)


@bp.get("/data/")
def index() -> str:
    return "TODO"
