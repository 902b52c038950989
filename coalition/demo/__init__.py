"""A realistic demo: organizations, people, endorsements, initiatives (idempotent).

The facts come from /work/shared/DEMO-FACTS.md (launch dates, leads, listed members).
Rows are written directly with the models, not through the services, but keep the
services' invariants: members are active memberships with a `since` date, co-chairs are
active member states, `Body.active_count` equals the number of active memberships, and
every membership change has its public audit event so that histories are not empty.

Running it twice creates nothing new: every row is looked up by a natural key first
(organization code, e-mail address, initiative slug, open endorsement).
"""

from coalition.demo.load import load_demo

__all__ = ["load_demo"]
