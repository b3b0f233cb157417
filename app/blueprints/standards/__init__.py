from flask import Blueprint

bp = Blueprint("standards", __name__, url_prefix="/standards")

from app.blueprints.standards import imports, routes, versions  # noqa: E402, F401
