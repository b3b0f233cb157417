"""Flask extensions, created unbound. Imports nothing from the app, so nothing is circular."""

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.db import Base

# create_savepoint: when a session is bound to a connection that is already in a transaction (the
# test suite's per-test transaction), a commit releases a savepoint instead of ending it. Sessions
# bound to the engine, as in production, are unaffected.
db = SQLAlchemy(model_class=Base, session_options={"join_transaction_mode": "create_savepoint"})
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
babel = Babel()
