from flask_smorest import Blueprint

blp = Blueprint("participants_api", __name__, description="participants")
