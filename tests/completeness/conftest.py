"""Fixtures: the intake fixtures (a workspace on each backend, a drop folder, one
intake round) and the sync fixtures (a central archive, named workstations)."""

from tests.intake.conftest import drop, intake, ws  # noqa: F401
from tests.sync.conftest import central, station  # noqa: F401
