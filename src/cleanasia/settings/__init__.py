"""Settings entry point: the profile is chosen by CLEANASIA_PROFILE (base, test, production)."""

import os
import sys

_profile = os.environ.get("CLEANASIA_PROFILE") or ("test" if "pytest" in sys.modules else "base")
if _profile == "production":
    from .production import *  # noqa: F403
elif _profile == "test":
    from .test import *  # noqa: F403
else:
    from .base import *  # noqa: F403
