from flask import Blueprint

bp = Blueprint("portfolio", __name__)

from app.blueprints.portfolio import claims, exports, files, home, items, sharing  # noqa: E402, F401
