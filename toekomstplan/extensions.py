"""Extensions, created bare here and bound to the app in the factory."""

from typing import TYPE_CHECKING

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)

# Models subclass `Model`. At run time it is db.Model, which Flask-SQLAlchemy builds from Base
# (adding the session-bound query and bind keys); a type checker cannot follow that, so it
# is shown Base, which has the same mapping API.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def login_limit() -> str:
    """The limit on guessing passwords and codes (the LOGIN_LIMIT setting, read per request)."""
    return current_app.config["LOGIN_LIMIT"]


@limiter.request_filter
def _reads_are_not_limited() -> bool:
    # Every limit is on a POST; GET pages skip the limiter's bookkeeping altogether.
    return request.method in ("GET", "HEAD", "OPTIONS")
