from flask import Blueprint

bp = Blueprint("curriculum", __name__, url_prefix="/curricula")

from app.blueprints.curriculum import (  # noqa: E402, F401
    coverage,
    documents,
    mapfiles,
    mapping,
    parts,
    plans,
    routes,
    starting,
)
