from .base import DemoMarked, DomainModel, TimeStamped, Versioned
from .demo import DemoDataset
from .visibility import Visibility, VisibilityControlled

__all__ = [
    "DemoDataset",
    "DemoMarked",
    "DomainModel",
    "TimeStamped",
    "Versioned",
    "Visibility",
    "VisibilityControlled",
]
