"""Every model (and the enums of its columns), imported in one place for
Alembic, the shell and the tests (``from app import models as m``)."""

from app.api.models import ApiToken, IdempotencyRecord
from app.audit.models import AuditEntry
from app.auth.invitation_models import Invitation
from app.auth.models import LoginAttempt, User, UserSession
from app.consultation.models import Answer as ConsultationAnswer
from app.consultation.models import Consultation
from app.imports.models import ImportBatch
from app.meetings.models import (
    ActionStatus,
    Attendance,
    EvaluationMeeting,
    MeetingAction,
    MeetingParticipant,
    MeetingStatus,
)
from app.notifications.models import Notification
from app.org.models import ActingAssignment, Employee, EmployeeRank, Position, Unit
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
from app.reminders.models import ReminderSent
from app.reports.models import BundleStatus, DocumentBundle, IssuedDocument
from app.scheduling.models import ScheduledTask
from app.siasn.models import ExportStatus, SiasnExport, SiasnSendLog, SiasnSettings
from app.skp.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    PeerRating,
    RuleJob,
    RuleJobStatus,
)
from app.skp.feedback.models import FeedbackMessage, FeedbackSession
from app.skp.objections.models import Objection, ObjectionFile, ObjectionSide, ObjectionStatus
from app.skp.planning.models import (
    IndicatorAssignment,
    Plan,
    PlanBehaviour,
    PlanIndicator,
    PlanResult,
    PlanStatus,
    ResultKind,
)
from app.skp.realisation.models import Evidence, EvidenceKind, EvidenceReview, Realisation
from app.skp.training.models import TrainingCourse, TrainingRecord, TrainingStatus
from app.tenancy.models import SettingsVersion, Tenant
from app.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Consultation",
    "ConsultationAnswer",
    "DeliveryStatus",
    "WebhookDelivery",
    "WebhookEndpoint",
    "ActingAssignment",
    "ApiToken",
    "AuditEntry",
    "BundleStatus",
    "DocumentBundle",
    "EmployeeRank",
    "IssuedDocument",
    "Complaint",
    "ComplaintEvent",
    "Employee",
    "Evaluation",
    "ExportStatus",
    "EvaluationStatus",
    "Evidence",
    "EvidenceKind",
    "EvidenceReview",
    "FeedbackMessage",
    "FeedbackSession",
    "FollowUpItem",
    "IdempotencyRecord",
    "ImportBatch",
    "IndicatorAssignment",
    "Invitation",
    "LoginAttempt",
    "Notification",
    "ActionStatus",
    "Attendance",
    "EvaluationMeeting",
    "MeetingAction",
    "MeetingParticipant",
    "MeetingStatus",
    "Objection",
    "ObjectionFile",
    "ObjectionSide",
    "ObjectionStatus",
    "PeerRating",
    "ReminderSent",
    "RuleJob",
    "ScheduledTask",
    "RuleJobStatus",
    "Period",
    "Plan",
    "PlanBehaviour",
    "PlanIndicator",
    "PlanResult",
    "PlanStatus",
    "Position",
    "PublicSubmission",
    "Publication",
    "PublikSettings",
    "ResultKind",
    "Realisation",
    "SurveyResponse",
    "SiasnExport",
    "SiasnSendLog",
    "SiasnSettings",
    "SettingsVersion",
    "Tenant",
    "TrainingCourse",
    "TrainingRecord",
    "TrainingStatus",
    "Unit",
    "User",
    "UserSession",
]
