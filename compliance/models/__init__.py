"""Every model, imported here so that Alembic's autogenerate sees them all."""

from compliance.models import indexes  # noqa: E402,F401  (the pages' indexes, issue 15)
from compliance.models.assessments import (
    Assessment,
    AssessmentAnswer,
    ChecklistItem,
    Refusal,
    RefusalSignOff,
)
from compliance.models.audit import AuditEvent
from compliance.models.base import Base
from compliance.models.certificates import Certificate, VerificationRequest
from compliance.models.evidence import EvidenceFile, EvidenceLink
from compliance.models.exports import Export
from compliance.models.jobs import JobOutbox
from compliance.models.priorities import PremisesPriority
from compliance.models.quizzes import AttemptAnswer, Question, QuizAttempt, TrainingCompletion
from compliance.models.reminders import Membership, ReminderSent
from compliance.models.retailers import Jurisdiction, Premises, Retailer
from compliance.models.tallies import OperationPremises, OperationTally
from compliance.models.tokens import Invitation, PasswordReset
from compliance.models.training import ModuleRead, Source, TrainingModule
from compliance.models.users import Agency, AgencyKind, Role, User
from compliance.models.visits import (
    FollowUp,
    Operation,
    TestPurchase,
    Visit,
    VisitChange,
    VisitFinding,
)

__all__ = [
    "Assessment", "AssessmentAnswer", "Certificate", "ChecklistItem", "FollowUp", "Operation",
    "Membership", "OperationPremises", "OperationTally", "Refusal", "RefusalSignOff",
    "ReminderSent", "TestPurchase", "Visit",
    "VisitChange", "VisitFinding",
    "Agency", "AgencyKind", "AttemptAnswer", "AuditEvent", "Base", "Invitation", "JobOutbox",
    "Jurisdiction",
    "ModuleRead", "PasswordReset", "Premises", "PremisesPriority", "Question",
    "QuizAttempt", "Retailer", "Role",
    "EvidenceFile", "EvidenceLink", "Export",
    "Source", "TrainingCompletion", "TrainingModule", "User", "VerificationRequest",
]
