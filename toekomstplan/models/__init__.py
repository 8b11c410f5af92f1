"""Database models, one module per part of the product; import them from here."""

from .accounts import (
    FormUse,
    HelpedReset,
    LoginToken,
    RecoveryCode,
    TokenPurpose,
    UploadSlot,
    User,
    UserKind,
    UserSession,
)
from .base import UTCDateTime, utcnow
from .comments import Comment, ReadMark, Suggestion, SuggestionStatus, WorkerRating
from .goals import EventKind, Goal, GoalStatus, ProgressEvent, Rating, Step
from .jobs import WaitingJob
from .media import (
    Attachment,
    AttachTarget,
    Media,
    MediaFile,
    MediaKind,
    MediaStatus,
    PendingDeletion,
    new_media_id,
)
from .meetings import Meeting
from .organisations import (
    AuditRecord,
    ExternalLogin,
    MemberRole,
    Membership,
    MembershipInvite,
    Notice,
    Organisation,
    StartLink,
    Team,
)
from .plan import AboutItem, AboutKind, Plan
from .sharing import AccessEvent, HiddenGoal, Invite, Share, ShareRole
from .standins import AskStatus, StandIn, StandInAsk

__all__ = [
    "utcnow",
    "UTCDateTime",
    "UserKind",
    "TokenPurpose",
    "User",
    "UserSession",
    "RecoveryCode",
    "LoginToken",
    "FormUse",
    "UploadSlot",
    "HelpedReset",
    "AboutKind",
    "Plan",
    "AboutItem",
    "Meeting",
    "MediaKind",
    "MediaStatus",
    "PendingDeletion",
    "WaitingJob",
    "AttachTarget",
    "new_media_id",
    "Media",
    "MediaFile",
    "Attachment",
    "GoalStatus",
    "Rating",
    "EventKind",
    "Goal",
    "Step",
    "ProgressEvent",
    "ShareRole",
    "Share",
    "HiddenGoal",
    "Invite",
    "AccessEvent",
    "AskStatus",
    "StandIn",
    "StandInAsk",
    "Comment",
    "SuggestionStatus",
    "Suggestion",
    "WorkerRating",
    "ReadMark",
    "MemberRole",
    "Organisation",
    "StartLink",
    "ExternalLogin",
    "Team",
    "Membership",
    "MembershipInvite",
    "AuditRecord",
    "Notice",
]
