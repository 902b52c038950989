"""The staff tools' tests make claims as the representation tests do."""

from tests.representations.conftest import make_claim  # noqa: F401  (fixture)
