# Helpline IVR as a container image: the same `gunicorn app:app` as the Procfile, with the
# same pinned packages (docs/deploy.md).
#   docker build -t helpline-ivr .
#   (or: podman build --format docker -t helpline-ivr .: podman's default format, OCI,
#   has no HEALTHCHECK and drops it with only a warning)
#   docker run -p 8000:8000 -e TWILIO_AUTH_TOKEN=... -e SECRET_KEY=... \
#     -e PUBLIC_BASE_URL=https://helpline.example.org helpline-ivr
# The scripts in scripts/ are baked in. To serve others without a rebuild, mount a folder
# over them (read-only is enough) and restart: -v "$PWD/scripts:/app/scripts:ro"
# No Graphviz: only /try (development mode, never served here) and `ivr graph` draw flows.
# tests/test_deploy.py runs this file's install, start and health-check commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-deps --requirement requirements.txt
COPY app.py gunicorn.conf.py ./
COPY ivr ivr
COPY scripts scripts
# The written guides the scripts name: each script is checked against its guide at
# start-up, so without them the app refuses to start. Mount guides/ too where you mount
# scripts: -v "$PWD/guides:/app/guides:ro"
COPY guides guides

# Never root: the app reads its files and writes nothing.
RUN useradd --system --no-create-home --uid 10001 helpline
USER helpline

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:${PORT:-8000}/healthz', timeout=4)"
CMD ["gunicorn", "app:app"]
