from flask import Blueprint

bp = Blueprint("case", __name__, url_prefix="/ims/case/v1p1")

from app.blueprints.case import routes  # noqa: E402, F401
