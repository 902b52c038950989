"""What the app keeps between requests so as not to redo it: rendered pages and API
answers, valid for one version of the data.

Every transaction that writes increments the data version in the same transaction
(`version`); a kept answer is filed under the version it was computed from
(`responses`), so a change is seen by the next request on every app server, and nothing
has to be found and deleted when data changes."""
