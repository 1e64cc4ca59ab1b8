"""Stored co-benefit projects and their evaluations (the calculator itself stores nothing)."""

from .projects import CobenefitProject, Evaluation, ProjectStatus, Sector

__all__ = ["CobenefitProject", "Evaluation", "ProjectStatus", "Sector"]
