# Charter service image. Production needs DATABASE_URL and a JWT verification key.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CHARTER_ENV=production
WORKDIR /srv/charter
# The runtime pins of requirements.lock, checked against their hashes (a layer of its own, so a
# change of code reuses it); then the project alone, built with the locked setuptools.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir --no-deps --no-build-isolation . && useradd --system --uid 10001 charter
USER charter
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["charter", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
