from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
def index() -> str:
    return "TODO"
