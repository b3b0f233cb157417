import pytest


@pytest.fixture(autouse=True)
def _services_use_app_context(app_context) -> None:
    """Service tests call domain functions directly, inside an app context."""
