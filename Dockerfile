# Charter service image. Production needs DATABASE_URL and a JWT verification key.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CHARTER_ENV=production
WORKDIR /srv/charter
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir . && useradd --system --uid 10001 charter
USER charter
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["charter", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
