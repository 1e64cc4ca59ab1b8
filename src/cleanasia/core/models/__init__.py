from .base import DemoMarked, DomainModel, TimeStamped, Versioned
from .cache import CacheGeneration
from .demo import DemoDataset
from .visibility import Visibility, VisibilityControlled

__all__ = [
    "CacheGeneration",
    "DemoDataset",
    "DemoMarked",
    "DomainModel",
    "TimeStamped",
    "Versioned",
    "Visibility",
    "VisibilityControlled",
]
