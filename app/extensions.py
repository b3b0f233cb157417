"""Flask extensions, created unbound. Imports nothing from the app but the declarative base."""

from typing import TYPE_CHECKING

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

from app.db import Base


class RequestSession(Session):
    """What ``db.session`` stands for, to the type checker: the current request's Session, plus remove()."""

    def remove(self) -> None: ...


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, with ``db.session`` typed as the Session it forwards every call to.

    ``db.session`` is a scoped_session, a proxy of the request's Session with every one of its methods; but it
    is no subclass of Session, so services typed ``session: Session`` (as they should be: they take any
    session, a job's or a test's too) would reject it at every call. Nothing changes at run time.
    """

    if TYPE_CHECKING:
        session: RequestSession  # type: ignore[assignment]


# create_savepoint: when a session is bound to a connection that is already in a transaction (the
# test suite's per-test transaction), a commit releases a savepoint instead of ending it. Sessions
# bound to the engine, as in production, are unaffected.
db = Database(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
# Storage comes from RATELIMIT_STORAGE_URI: Redis when REDIS_URL is set, memory otherwise.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
