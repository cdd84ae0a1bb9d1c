"""gunicorn entry point: `gunicorn 'gateway.wsgi:create_app()'`."""

from gateway.app import create_app

__all__ = ["create_app"]
