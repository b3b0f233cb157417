from flask import Blueprint

bp = Blueprint("crosswalks", __name__, url_prefix="/crosswalks")

from app.blueprints.crosswalks import authoring, exchange, labels, managing, routes  # noqa: E402, F401
