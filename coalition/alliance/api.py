from flask_smorest import Blueprint

blp = Blueprint("alliance_api", __name__, description="alliance")
