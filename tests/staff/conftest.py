"""The staff tools share the participants tests' fixtures."""

from tests.participants.conftest import make_claim, read  # noqa: F401  (fixtures)
