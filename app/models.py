"""Imports every model module so that Alembic and create_app see the whole schema."""

from app.standards.models import (  # noqa: F401
    Alignment,
    Element,
    Framework,
    RatingScale,
    RequiredLevel,
    ScaleLevel,
    SourceNote,
)
