from flask import Blueprint

bp = Blueprint("assess", __name__)

from app.blueprints.assess import routes  # noqa: E402, F401
