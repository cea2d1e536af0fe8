# Charter service image (README "Deploying"). Production needs DATABASE_URL and a JWT
# verification key; there is no embedded PostgreSQL and no test tool in it.
#
# The base is named by a tag; pin it by digest for reproducible builds (resolve the digest
# where the registry is reachable: `docker buildx imagetools inspect python:3.11-slim-bookworm`):
#   docker build --build-arg PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:<digest> .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build stage: a virtual environment with the pins of requirements.lock (runtime + the
# 'otel' extra), checked against their hashes, then the project itself (no dependencies,
# built with the locked setuptools).
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/charter
ENV PATH=/opt/charter/bin:$PATH
WORKDIR /src
# The lock is a layer of its own, so a change of code reuses it.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-deps --no-build-isolation . && python -m compileall -q /opt/charter

# Runtime stage: the same base and the environment alone (no build tree, no caches).
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/charter/bin:$PATH \
    CHARTER_ENV=production CHARTER_DATA_DIR=/tmp/charter
COPY --from=build /opt/charter /opt/charter
RUN useradd --system --uid 10001 charter
USER charter
WORKDIR /home/charter
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Two workers: /metrics adds up both (charter serve sets up Prometheus' multiprocess mode).
CMD ["charter", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
