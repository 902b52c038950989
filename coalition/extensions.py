"""Flask extensions, instantiated here and bound to the app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from coalition.db import Base

# Objects stay usable after commit (views render what a service returned), and tables
# are named by the models themselves.
db = SQLAlchemy(
    model_class=Base, session_options={"expire_on_commit": False}, disable_autonaming=True
)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
