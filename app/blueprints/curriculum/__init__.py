from flask import Blueprint

bp = Blueprint("curriculum", __name__, url_prefix="/curricula")

from app.blueprints.curriculum import coverage, documents, mapping, parts, plans, routes, starting  # noqa: E402, F401
