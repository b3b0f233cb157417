"""Imports every model module so that Alembic and create_app see the whole schema."""

from app.accounts.models import (  # noqa: F401
    ApiToken,
    AuditEvent,
    Cohort,
    CohortAssessor,
    CohortStudent,
    Membership,
    OneTimeLink,
    Organisation,
    User,
)
from app.assessment.models import Assessment, AssessmentAssessor, Judgement  # noqa: F401
from app.certificates.models import Certificate, CertificateBatch, IssuerKey, StatusList  # noqa: F401
from app.crosswalks.models import Crosswalk, CrosswalkLink, CrosswalkRejection  # noqa: F401
from app.curriculum.models import (  # noqa: F401
    CohortCurriculum,
    Curriculum,
    CurriculumFramework,
    CurriculumLink,
    CurriculumUnit,
    ExamInstrument,
    InstrumentAssessment,
)
from app.matching.models import Application, Consent, ConsentView, JobProfile, Requirement  # noqa: F401
from app.portfolio.models import (  # noqa: F401
    Attachment,
    Claim,
    Comment,
    EvidenceItem,
    EvidenceLink,
    EvidenceVersion,
    Notification,
    PortfolioExport,
    ShareAccess,
    ShareLink,
)
from app.standards.models import (  # noqa: F401
    Alignment,
    Element,
    Framework,
    RatingScale,
    RequiredLevel,
    ScaleLevel,
    SourceNote,
)
from app.standards.translations.models import ElementTranslation  # noqa: F401
from app.versioning.models import CarriedResult, MappingRow, VersionMapping  # noqa: F401
