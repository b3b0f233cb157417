from flask import Blueprint

bp = Blueprint("assess", __name__)

from app.blueprints.assess import downloads, judging, routes, staffing  # noqa: E402, F401
