from flask_smorest import Blueprint

blp = Blueprint("initiatives_api", __name__, description="initiatives")
