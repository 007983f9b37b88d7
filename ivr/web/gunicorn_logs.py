"""gunicorn's own lines in the app's JSON shape (gunicorn.conf.py's `logger_class`).

    {"time": "...", "level": "INFO", "logger": "gunicorn.error", "event": "message",
     "message": "Booting worker with pid: 12"}
    {"time": "...", "level": "INFO", "logger": "gunicorn.access", "event": "access",
     "method": "POST", "path": "/sms", "status": 200, "ms": 1.9, "bytes": 211}

Access lines are off by default (the app writes one line per webhook); turned on
(`--access-logfile -`), each has the method, the path without its query string (the
voice state travels there), the status, the time and the size: no client address, user
agent, referrer or query. Error lines keep gunicorn's words, not what a bad request sent
(see ivr.web.logs.ServerJsonFormatter).
"""

from __future__ import annotations

from gunicorn import glogging

from ivr.web.logs import ServerJsonFormatter


class ServerLogs(glogging.Logger):
    def _set_handler(self, log, output, fmt, stream=None):
        super()._set_handler(log, output, ServerJsonFormatter(), stream)

    def access(self, resp, req, environ, request_time) -> None:
        if not self.access_log_enabled:
            return
        fields = {
            "method": req.method,
            "path": req.path,
            "status": resp.status_code,
            "ms": round(request_time.total_seconds() * 1000, 1),
            "bytes": resp.sent,
        }
        self.access_log.info("access", extra={"ivr_fields": fields})
