"""The floor page of `make bench`: what a Flask page costs when it does almost nothing.

One SQL query of 200 rows rendered in a Jinja table, served by the same gunicorn
settings as the app: the app's pages are measured as a share of this, so that the
numbers mean the same on any machine.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, render_template_string

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>
<body><table><caption>Participants</caption>
<thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Kind</th></tr></thead>
<tbody>{% for row in rows %}
<tr><td>{{ row.code }}</td><td>{{ row.name }}</td><td>{{ row.kind }}</td></tr>
{% endfor %}</tbody>
</table></body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url)
    query = sa.text("SELECT code, name, kind FROM participants ORDER BY id LIMIT 200")

    @app.get("/")
    def floor() -> str:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        return render_template_string(PAGE, rows=rows)

    return app
