# Production images for compose.yaml: `app` (web, action server, supervisor; Python 3.11) and
# `rasa` (Rasa 3.6.21 on Python 3.10 with the trained model). Build after `make train`:
#   docker compose build
FROM python:3.11-slim-bookworm AS app
ENV PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 RASA_TELEMETRY_ENABLED=false TINGET_CONFIG=production \
    TINGET_INSTANCE=/srv/tinget/instance PATH=/srv/tinget/.venv/bin:$PATH
WORKDIR /srv/tinget
RUN pip install --no-cache-dir uv && uv venv -q .venv
COPY requirements/app.lock requirements/app.lock
# torch's CPU build is pinned as 2.13.0+cpu: it comes from PyTorch's CPU index.
RUN uv pip install -q -p .venv/bin/python --index-strategy unsafe-best-match \
      --extra-index-url https://download.pytorch.org/whl/cpu -r requirements/app.lock
COPY . .
RUN uv pip install -q -p .venv/bin/python --no-deps -e . \
 && .venv/bin/pybabel -q compile -d web/translations \
 && useradd --system --home /srv/tinget tinget && mkdir -p instance && chown tinget instance
USER tinget
EXPOSE 8000 5055
CMD ["gunicorn", "-c", "gunicorn.conf.py", "--workers", "4", "--threads", "4", "--bind", "0.0.0.0:8000", "web.wsgi:app"]

FROM python:3.10-slim-bookworm AS rasa
ENV PYTHONUNBUFFERED=1 RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH=/srv/tinget \
    PATH=/srv/tinget/.venv-rasa/bin:$PATH
WORKDIR /srv/tinget
RUN pip install --no-cache-dir uv && uv venv -q .venv-rasa
COPY requirements/rasa.lock requirements/rasa.lock
RUN uv pip install -q -p .venv-rasa/bin/python -r requirements/rasa.lock
COPY pyproject.toml ./
COPY bot/ bot/
COPY tinget/ tinget/
COPY instance/models/ models/
RUN useradd --system --home /srv/tinget tinget && mkdir -p .rasa && chown tinget .rasa
USER tinget
EXPOSE 5005
CMD ["python", "-m", "bot.rasa_server", "run", "--enable-api", "-m", "models", "-p", "5005", \
     "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml"]
