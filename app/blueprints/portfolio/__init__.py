from flask import Blueprint

bp = Blueprint("portfolio", __name__)

from app.blueprints.portfolio import routes, sharing  # noqa: E402, F401
