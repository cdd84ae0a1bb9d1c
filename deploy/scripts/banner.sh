#!/usr/bin/env bash
# Print where everything is once `make run` starts the stack.
port="${GATEWAY_BIND##*:}"; port="${port:-8000}"
mgmt="(not enabled on this broker)"
(exec 3<>/dev/tcp/127.0.0.1/15672) 2>/dev/null && mgmt="http://127.0.0.1:15672/  (guest / guest)"
cat <<MSG

  API                 http://127.0.0.1:${port}/api/
  Swagger UI          http://127.0.0.1:${port}/swagger/
  ReDoc               http://127.0.0.1:${port}/redoc/
  OpenAPI JSON        http://127.0.0.1:${port}/schema/
  Health              http://127.0.0.1:${port}/api/health
  Every dependency    (operators: OPERATOR_TOKEN in .env)
                      curl -H "Authorization: Bearer \$(sed -n 's/^OPERATOR_TOKEN=//p' .env)" \\
                        http://127.0.0.1:${port}/api/health/detailed
  Push (SSE)          http://127.0.0.1:8001/api/events/stream   (WebSocket: ws://127.0.0.1:8001/ws/events)
  E-mails (offline)   var/maildir/new/
  Activity stream     classroom.activity, stored by the activity-consumer process (its lag: health)
  RabbitMQ console    ${mgmt}

  Try:  curl -si -X POST localhost:${port}/api/jobs -H 'content-type: application/json' \\
          -d '{"text": "All visitors must sign in at the front desk. Badges must be worn at all times."}'
  Ctrl-C stops every process.

MSG
