import os

from hypothesis import HealthCheck, settings

# SymPy-heavy properties: no per-example deadline.
settings.register_profile(
    "symdyn",
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("ci", parent=settings.get_profile("symdyn"), derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "symdyn"))
