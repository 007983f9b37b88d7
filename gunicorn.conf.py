"""Gunicorn settings for Twilio webhooks. `gunicorn app:app` (the Procfile) reads this file
from the working directory by itself; each setting can be overridden on the command line."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"  # Heroku and friends set PORT
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Twilio gives up on a webhook after 15 seconds and plays its own error. A turn takes a
# millisecond or two, so anything near that is stuck: recycle it well before then.
timeout = 10
graceful_timeout = 10
keepalive = 5
# Load and lint the scripts once, in the master, before any worker starts: a missing
# setting or a broken script stops start-up at once with one clear message.
preload_app = True
max_requests = 2000
max_requests_jitter = 200
# The app writes one private line per webhook; gunicorn's access log would add the
# client address and user agent for no benefit.
accesslog = None
errorlog = "-"
