from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/orgs")

from app.blueprints.orgs import audit, cohorts, people, routes, versions  # noqa: E402, F401
