"""Data model of the Asian Environmental Research and Training Network (one module per area)."""

from .experts import ExpertProfile, NominationState, Publication
from .fields import Field
from .groups import GroupRole, GroupStatus, WorkingGroup, WorkingGroupMember, WorkPlanItem, WorkPlanStatus
from .packages import CountryNeed, KnowHowPackage, NeedStatus, PackageCase, PackageKind
from .research import OutputKind, ProjectStatus, ResearchMilestone, ResearchOutput, ResearchProject
from .training import (
    AssessmentKind,
    AssessmentScore,
    AttendanceRecord,
    AttendanceStatus,
    Certificate,
    Gender,
    SurveyResponse,
    SurveyToken,
    TraineeNomination,
    TraineeState,
    TrainingLevel,
    TrainingMode,
    TrainingProgramme,
    TrainingSession,
)

__all__ = [
    "AssessmentKind",
    "AssessmentScore",
    "AttendanceRecord",
    "AttendanceStatus",
    "Certificate",
    "CountryNeed",
    "ExpertProfile",
    "Field",
    "Gender",
    "GroupRole",
    "GroupStatus",
    "KnowHowPackage",
    "NeedStatus",
    "NominationState",
    "OutputKind",
    "PackageCase",
    "PackageKind",
    "ProjectStatus",
    "Publication",
    "ResearchMilestone",
    "ResearchOutput",
    "ResearchProject",
    "SurveyResponse",
    "SurveyToken",
    "TraineeNomination",
    "TraineeState",
    "TrainingLevel",
    "TrainingMode",
    "TrainingProgramme",
    "TrainingSession",
    "WorkPlanItem",
    "WorkPlanStatus",
    "WorkingGroup",
    "WorkingGroupMember",
]
