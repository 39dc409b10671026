# syntax=docker/dockerfile:1

# Keel's production image. One image serves three roles, chosen by the command:
#   keel migrate   extensions, schema and the application role's grants (once per release, first)
#   keel api       the HTTP API: uvicorn on KEEL_API_HOST:KEEL_API_PORT (default command)
#   keel worker    the Temporal worker
# Configuration comes only from KEEL_* environment variables (keel/settings.py); nothing secret is
# baked into the image.

# -- build: the project and its runtime dependencies, installed into a virtualenv ------------------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_INPUT=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# .dockerignore keeps the local virtualenv, .keel state, .git, caches and .env files out.
COPY . .
# A regular (not editable) install without the dev extras. The cache mount keeps downloaded wheels
# between builds without storing them in a layer. `definitions/` is made to exist so the runtime
# stage can copy it even from a checkout where it is still empty (git does not keep empty folders).
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install . \
 && mkdir -p definitions

# -- runtime: the virtualenv and the process definitions, run by an unprivileged user -------------
FROM python:3.11-slim AS runtime

# A fixed uid/gid outside the range of the base image's users, so that volume ownership and
# Kubernetes' runAsNonRoot work without a name lookup.
RUN groupadd --system --gid 10001 keel \
 && useradd --system --uid 10001 --gid keel --home-dir /var/lib/keel --shell /usr/sbin/nologin keel \
 && install -d -o keel -g keel -m 0750 /var/lib/keel

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /src/definitions ./definitions

# KEEL_HOME is the only place Keel writes locally (a volume in docker-compose.yml); the code under
# /opt/venv stays read-only for the keel user. KEEL_API_HOST listens on every interface: inside a
# container, 127.0.0.1 would be unreachable from the published port.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KEEL_HOME=/var/lib/keel \
    KEEL_API_HOST=0.0.0.0 \
    KEEL_API_PORT=8000 \
    KEEL_DEFINITIONS_DIR=/app/definitions

USER 10001:10001
EXPOSE 8000
CMD ["keel", "api"]
