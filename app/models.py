"""Every model, imported in one place for Alembic and the shell."""

from app.audit.models import AuditEntry
from app.auth.models import LoginAttempt, User, UserSession
from app.imports.models import ImportBatch
from app.org.models import ActingAssignment, Employee, Position, Unit
from app.periods.models import Period
from app.publik.models import (
    Complaint,
    ComplaintEvent,
    FollowUpItem,
    Publication,
    PublicSubmission,
    PublikSettings,
    SurveyResponse,
)
from app.skp.models import (
    Evaluation,
    Evidence,
    FeedbackMessage,
    FeedbackSession,
    IndicatorAssignment,
    Notification,
    Objection,
    PeerRating,
    Plan,
    PlanBehaviour,
    PlanIndicator,
    PlanResult,
    Realisation,
    TrainingCourse,
    TrainingRecord,
)
from app.tenancy.models import Tenant

__all__ = [
    "Evaluation",
    "Evidence",
    "FeedbackMessage",
    "FeedbackSession",
    "IndicatorAssignment",
    "Notification",
    "Objection",
    "PeerRating",
    "Plan",
    "PlanBehaviour",
    "PlanIndicator",
    "PlanResult",
    "Realisation",
    "TrainingCourse",
    "TrainingRecord",
    "ActingAssignment",
    "AuditEntry",
    "Complaint",
    "ComplaintEvent",
    "Employee",
    "FollowUpItem",
    "ImportBatch",
    "LoginAttempt",
    "Period",
    "Position",
    "PublicSubmission",
    "Publication",
    "PublikSettings",
    "SurveyResponse",
    "Tenant",
    "Unit",
    "User",
    "UserSession",
]
