"""The background worker: `flask --app coalition worker [--once]`.

It runs a list of periodic jobs (JOBS), each in an app context of its own, one after
the other, every WORKER_INTERVAL seconds. Jobs claim their work in the database, so any
number of workers may run at once, on any number of machines. A job that raises is
logged and tried again at the next turn; it never stops the others.

Other background work joins by adding a Job to JOBS.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coalition.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    #: Does what is due (committing as it goes) and returns something to log.
    run: Callable[[], Any]
    #: Least number of seconds between two runs by this worker; 0: every turn.
    every: float = 0


def _deliver_mail() -> Any:
    from coalition.outbox.delivery import deliver_due

    return deliver_due()


def _purge_sent_mail() -> int:
    from coalition.outbox.services import purge_sent

    count = purge_sent()
    db.session.commit()
    return count


def _send_reminders() -> int:
    from coalition.meetings.reminders import send_due

    count = send_due()
    db.session.commit()
    return count


JOBS: list[Job] = [
    Job("mail.deliver", _deliver_mail),
    Job("meetings.reminders", _send_reminders, every=60),
    Job("mail.purge", _purge_sent_mail, every=3600),
]


def run_job(app: Flask, job: Job) -> bool:
    """Run *job* once in a fresh app context; False if it raised (the error is logged)."""
    with app.app_context():
        try:
            result = job.run()
            log.debug("%s: %s", job.name, result)
            return True
        except Exception:
            # The database may be away: log, and let the next turn try again.
            log.exception("background job %s failed", job.name)
            return False
        finally:
            try:
                db.session.remove()
            except Exception:
                log.debug("could not close the session of %s", job.name, exc_info=True)


def run_forever(app: Flask, stop: threading.Event, interval: float) -> None:
    """Run the jobs at their pace until *stop* is set (between two jobs)."""
    last_run: dict[str, float] = {}
    while not stop.is_set():
        for job in JOBS:
            if stop.is_set():
                break
            now = time.monotonic()
            if job.name in last_run and now - last_run[job.name] < job.every:
                continue
            last_run[job.name] = now
            run_job(app, job)
        stop.wait(interval)


@dataclass(frozen=True)
class WorkerThread:
    thread: threading.Thread
    stop: threading.Event


def start_thread(app: Flask) -> WorkerThread:
    """The worker in a daemon thread beside the development server (`make run`), so that
    mail shows on the same console without a second terminal; it dies with the server.
    Kept in app.extensions["coalition.worker"]."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever,
        args=(app, stop, app.config["WORKER_INTERVAL"]),
        name="coalition-worker",
        daemon=True,
    )
    handle = app.extensions["coalition.worker"] = WorkerThread(thread, stop)
    thread.start()
    return handle


@click.command("worker")
@click.option("--once", is_flag=True, help="Handle what is due, then exit (for cron and tests).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds between two turns (default: WORKER_INTERVAL).",
)
@with_appcontext
def worker_command(once: bool, interval: float | None) -> None:
    """Deliver queued e-mail (with retries) and run other background work."""
    app = current_app._get_current_object()
    if once:
        failures = [job.name for job in JOBS if not run_job(app, job)]
        if failures:
            raise click.ClickException("failed: " + ", ".join(failures))
        return
    if not app.config.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER is unset: e-mail is printed here, not sent")
    stop = threading.Event()

    def _stop(signum: int, _frame: object) -> None:
        click.echo(f"worker: {signal.Signals(signum).name}, stopping after the current job")
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"worker: running {', '.join(job.name for job in JOBS)}")
    run_forever(app, stop, interval or app.config["WORKER_INTERVAL"])
