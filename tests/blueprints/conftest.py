from pathlib import Path

import pytest

from app.extensions import db
from app.standards.loader import load_paths

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "standards"


@pytest.fixture
def mini(app) -> None:
    """The two small fixture frameworks, loaded inside the test's transaction."""
    with app.app_context():
        load_paths(db.session, [FIXTURES / "mini-catalogue.yaml", FIXTURES / "mini-profile.yaml"])
        db.session.commit()
        db.session.remove()
