"""Shared test configuration: hypothesis profiles.

The default profile keeps `make test` fast; `pytest --hypothesis-profile=ci` runs each property
many more times (use it before a release, or when touching a coder).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "ci", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("default")
