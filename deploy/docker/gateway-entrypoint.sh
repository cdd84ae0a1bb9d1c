#!/usr/bin/env bash
# Boot the gateway API in a container: bring the database to head (retrying while
# Postgres starts), then replace this shell with gunicorn so it receives the signals.
#   MIGRATE_ATTEMPTS       how many tries before giving up (default 10)
#   MIGRATE_RETRY_SECONDS  pause between tries (default 3)
#   GUNICORN_CONFIG        gunicorn config file (default /app/deploy/gunicorn.conf.py)
set -euo pipefail

attempts="${MIGRATE_ATTEMPTS:-10}"
delay="${MIGRATE_RETRY_SECONDS:-3}"

for ((attempt = 1; ; attempt++)); do
  if python -m gateway.migrate --create-database; then
    break
  fi
  if ((attempt >= attempts)); then
    echo "gateway-entrypoint: migration failed ${attempt} times; giving up" >&2
    exit 1
  fi
  echo "gateway-entrypoint: migration failed (attempt ${attempt}/${attempts}); retrying in ${delay}s" >&2
  sleep "${delay}"
done

exec gunicorn --config "${GUNICORN_CONFIG:-/app/deploy/gunicorn.conf.py}" 'gateway.wsgi:create_app()'
