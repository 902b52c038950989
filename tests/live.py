"""The app served over real HTTP on 127.0.0.1, in a thread of the test process: for
clients that speak HTTP (a browser, schemathesis), with the server's exceptions kept."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, got_request_exception
from werkzeug.serving import BaseWSGIServer, make_server


@dataclass
class LiveServer:
    app: Flask
    url: str
    #: Tracebacks of exceptions raised while serving: the client only sees a 500.
    errors: list[str] = field(default_factory=list)

    def run(self, function: Callable[[], object]) -> object:
        """Call *function* inside the live app's context and commit what it did."""
        from coalition.extensions import db

        with self.app.test_request_context():
            try:
                result = function()
                db.session.commit()
                return result
            finally:
                db.session.remove()


@contextmanager
def serving(app: Flask) -> Iterator[LiveServer]:
    live = LiveServer(app=app, url="")

    def _record_error(_sender: Flask, exception: BaseException, **_extra: object) -> None:
        live.errors.append("".join(traceback.format_exception(exception)))

    got_request_exception.connect(_record_error, app)
    # One line per request on stderr is noise in a test run; errors are kept above.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    live.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield live
    finally:
        got_request_exception.disconnect(_record_error, app)
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
