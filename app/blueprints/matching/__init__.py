from flask import Blueprint

bp = Blueprint("matching", __name__)

from app.blueprints.matching import candidates, learner, plans, profiles, public, vacancy  # noqa: E402, F401
