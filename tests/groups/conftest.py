"""The groups' tests share the initiatives' world and API headers."""

from tests.groups.support import gw  # noqa: F401  (fixture)
from tests.initiatives.rules_support import api_headers, world  # noqa: F401  (fixtures)
