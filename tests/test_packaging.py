"""A non-editable install works: the wheel carries templates, static files, migrations and
catalogs, and the app serves pages from inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import sys, tempfile
from pathlib import Path
import coalition
root = Path(sys.argv[1]).resolve()
assert Path(coalition.__file__).resolve().is_relative_to(root), coalition.__file__
from coalition import create_app
from flask_migrate import upgrade
from coalition.participants.services import seed_states
from coalition.extensions import db
tmp = tempfile.mkdtemp()
app = create_app(
    {
        "DATABASE_URL": f"sqlite:///{tmp}/wheel.sqlite3",
        "SECRET_KEY": "x",
        "PUBLIC_URL": "https://coalition.example.org",
        # Limits need a shared storage outside `flask run`; this probe serves no login.
        "RATELIMIT_ENABLED": False,
    }
)
assert Path(app.template_folder).resolve().is_relative_to(root)
with app.app_context():
    upgrade()
    seed_states()
    db.session.commit()
client = app.test_client()
for path in ("/", "/login", "/participants", "/static/vendor/pico/pico.min.css"):
    status = client.get(path).status_code
    assert status == 200, (path, status)
page = client.get("/participants", headers={"Accept-Language": "fr"}).get_data(as_text=True)
assert "Allemagne" in page
found = client.get("/participants?q=vatican", headers={"Accept-Language": "fr"})
assert "Saint-Siège" in found.get_data(as_text=True)
print("ok")
"""


def test_the_built_wheel_serves_pages_from_inside_itself(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("coalition-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "coalition/templates/base.html",
        "coalition/static/vendor/pico/pico.min.css",
        "coalition/migrations/env.py",
        "coalition/translations/fr/LC_MESSAGES/messages.mo",
        "coalition/participants/data/unterm.csv",
    ):
        assert expected in names, expected
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(target)],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
