"""Gunicorn settings for Twilio webhooks. `gunicorn app:app` (the Procfile) reads this file
from the working directory by itself; each setting can be overridden on the command line.

Why gevent workers: Twilio's request is small and answered in a millisecond or two, but a
connection can be slow on purpose. With a pool of threads, each connection that sends its
headers and then stalls mid-body holds a thread while the signature check waits for the
body, so eight such connections (2 workers x 4 threads) took the helpline offline. A
gevent worker gives every connection a greenlet of its own and serves up to
`worker_connections` of them at once on one event loop: a stalled or idle connection
costs a socket and a few kilobytes, never the worker, so Twilio's requests are answered
beside hundreds of them (tests/test_serving.py proves it against this very config).

The app is plain blocking Flask code; gevent makes its socket reads cooperative. For that
the standard library must be patched before anything imports it, and with preload_app
the app is imported in this process, so the patch happens here, first. (Patched late,
`ssl` would already be loaded and the Twilio REST client could misbehave in a worker.)

Restarts: on SIGTERM the listening socket stops taking new connections, the workers take
in every connection already queued and answer it, for up to `graceful_timeout` seconds
(ivr/web/serving.py says why both steps are needed). Scripts are read once at start-up
(preload_app), so an edited script goes live with a restart, not with SIGHUP. See
docs/serving.md.
"""

import os

from gevent import monkey

monkey.patch_all()  # first, before gunicorn loads the app (see above)

from ivr import settings  # noqa: E402
from ivr.errors import ConfigError  # noqa: E402
from ivr.web import gunicorn_logs, serving  # noqa: E402


def _setting(name: str):
    """A setting from ivr/settings.py; one that cannot be used stops start-up in a sentence."""
    try:
        return settings.read(os.environ, name)
    except ConfigError as exc:
        raise SystemExit(f"helpline-ivr will not start: {exc}") from None


_setting("GUNICORN_THREADS")  # refused when set: these workers use no threads
bind = f"0.0.0.0:{_setting('PORT')}"  # Heroku and friends set PORT
worker_class = serving.DrainingGeventWorker  # gevent's worker, draining its queue on SIGTERM
# In the master once the app is loaded, before any worker forks: SIGTERM that loses no
# queued request, and the loaded scripts frozen out of garbage collection (serving.py).
when_ready = serving.when_ready
workers = _setting("WEB_CONCURRENCY")
# Connections one worker holds at once, idle and stalled ones included. Each needs a file
# descriptor, so keep it under `ulimit -n` (Heroku: 10000).
worker_connections = _setting("GUNICORN_WORKER_CONNECTIONS")
# Twilio gives up on a webhook after 15 seconds and plays its own error. A turn takes a
# millisecond or two, so a worker whose event loop is stuck that long is recycled.
timeout = 10
# On SIGTERM, accepted requests get this long to finish before the worker is stopped.
graceful_timeout = 10
# A connection's request headers must arrive within this many seconds of it opening (or
# of the last reply, kept alive), else it is closed; then its body within IVR_BODY_SECONDS.
# Twilio sends its request at once, a few kilobytes: milliseconds after connecting. A
# flood of slow clients holds at most (new connections a second) x (both deadlines), so
# short deadlines are what keep connections free for Twilio (docs/serving.md, measured
# by the drill: drill/RESULTS.md). Twilio's own limits: 10 s to connect and 15 s for the
# reply, connecting included (www.twilio.com/docs/api/errors/11205).
keepalive = 1
# Load and lint the scripts once, in the master, before any worker starts: a missing
# setting or a broken script stops start-up at once with one clear message.
preload_app = True
# Recycle a worker only every ~100,000 requests. Measured on loopback (2026-11-24, one
# worker, voice and SMS turns at concurrency 8): a gthread worker's memory was flat after
# warm-up (+16 kB over 6,800 requests); a gevent worker's grew about 140 kB over its
# last 2,000 of 4,500. At 2,000 (the old setting) each worker restarted every 1 to 3 s
# under load, so only 1.2 to 1.5 of 2 cores served and p99 latency rose to 3-8 ms. At
# 100,000 a saturated worker restarts every minute or two (a fork, well under 1% of its
# time), which still bounds any slow growth a dependency might bring.
max_requests = 100_000
max_requests_jitter = 10_000
# The app writes one JSON line per webhook, so gunicorn's access log is off. Its lines,
# and its access lines if turned on (--access-logfile -), are JSON in the app's shape,
# with no client address, query string or anything else a request sent (gunicorn_logs).
accesslog = None
errorlog = "-"
logger_class = gunicorn_logs.ServerLogs
# X-Forwarded-* are trusted only as IVR_PROXY_HOPS says, by the app (werkzeug's ProxyFix),
# so gunicorn trusts no one's. Its default trusts loopback's X-Forwarded-Proto: behind a
# local proxy that changed the scheme, so correctly signed requests failed with 403.
# (secure_scheme_headers and forwarder_headers emptied too: gunicorn would trust them
# from any peer on a Unix socket, whatever forwarded_allow_ips says.)
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
forwarder_headers = ""
# No control socket (gunicorn 25.1+ makes one in the home folder by default): nothing here
# uses it, and two instances on one machine would share its path.
control_socket_disable = True
