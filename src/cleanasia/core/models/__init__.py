from .base import DemoMarked, DomainModel, TimeStamped, Versioned
from .cache import CacheGeneration
from .demo import DemoDataset
from .search import SearchEntry, SearchGram
from .visibility import Visibility, VisibilityControlled

__all__ = [
    "CacheGeneration",
    "DemoDataset",
    "DemoMarked",
    "DomainModel",
    "SearchEntry",
    "SearchGram",
    "TimeStamped",
    "Versioned",
    "Visibility",
    "VisibilityControlled",
]
