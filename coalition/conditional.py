"""Conditional GET for downloads (open data, calendar feeds): an ETag and a Last-Modified
from the data version (coalition.caching.version), so that a client asking again with
If-None-Match or If-Modified-Since gets a 304 without the file being built.

The data version changes with every transaction that writes, so the validator changes
whenever anything may have changed, and a 304 is never stale; it may be a 200 more often
than strictly needed (a write elsewhere), which costs one build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

from coalition.caching.version import current_and_changed_at
from coalition.extensions import db


@dataclass(frozen=True)
class Validator:
    etag: str
    last_modified: datetime | None

    def not_modified(self) -> Response | None:
        """A 304 answer if the request's validators match, else None (build the answer)."""
        if is_resource_modified(request.environ, etag=self.etag, last_modified=self.last_modified):
            return None
        return self.apply(Response(status=304))

    def apply(self, response: Response) -> Response:
        response.set_etag(self.etag, weak=True)
        if self.last_modified is not None:
            response.last_modified = self.last_modified
        # Kept by clients and shared caches, but asked about again each time (a 304).
        response.headers["Cache-Control"] = "no-cache"
        return response


def validator(what: str) -> Validator:
    """The validator of the resource *what* (one query): *what* says which resource and
    variant it is (e.g. "memberships.csv"), the data version when."""
    version, changed_at = current_and_changed_at(db.session)
    # With the schema's revision: a deployment that migrated changes answers too.
    head = current_app.extensions.get("coalition_schema_head", "")
    return Validator(etag=f"{what}-{version}-{head}", last_modified=changed_at)
