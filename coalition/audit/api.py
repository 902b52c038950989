from flask_smorest import Blueprint

blp = Blueprint("audit_api", __name__, description="audit")
