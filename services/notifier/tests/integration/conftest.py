"""The push server's fixtures: a notifier that trusts the stand-in gateway's token keys, on a fresh vhost.

Modules that need another notifier (e-mail, customer webhooks) define their own `settings`.
"""

import pytest
from notifier_stack import declare_fresh, running, settings_for


@pytest.fixture
def settings(amqp_url, redis_prefix, gateway, notifier_webhook_secret, signing_key):
    declare_fresh(amqp_url)
    return settings_for(
        amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, jwt_public_keys=[signing_key.public_pem]
    )


@pytest.fixture
def notifier(settings):
    with running(settings) as service:
        yield service
