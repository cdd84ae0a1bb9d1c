#!/usr/bin/env bash
# Start PostgreSQL, RabbitMQ and Redis on this machine if they are not answering.
# With --management, also enable the RabbitMQ management console where the broker ships it.
set -u
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { for _ in $(seq 1 60); do up "$2" && return 0; sleep 1; done; echo "!! $1 did not come up on port $2" >&2; return 1; }

if ! up 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start && wait_for PostgreSQL 5432
fi
if ! up 5672; then
  echo "starting RabbitMQ"
  rabbitmq-server -detached && wait_for RabbitMQ 5672
  rabbitmqctl await_startup >/dev/null 2>&1 || true
fi
if ! up 6379; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log && wait_for Redis 6379
fi
if [ "${1:-}" = "--management" ] && command -v rabbitmq-plugins >/dev/null 2>&1; then
  if ! up 15672; then
    rabbitmq-plugins enable rabbitmq_management >/dev/null 2>&1 && echo "enabled the RabbitMQ management console"
    for _ in $(seq 1 20); do up 15672 && break; sleep 1; done
  fi
fi
exit 0
