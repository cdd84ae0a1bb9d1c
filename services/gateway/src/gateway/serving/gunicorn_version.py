"""The gunicorn releases the serving package is tested on; any other is refused at import.

The workers here replace gunicorn internals (its response's body writer, its
graceful close, its error answers, its accept loop). On gunicorn 23 the close
they replace does not exist (an AttributeError at import); on 26.1 the body
writer does not, and the one-write response then sends every body before its
head. gunicorn 27.0 is what they are tested on; services/gateway/pyproject.toml
pins the same range.
"""

import gunicorn

TESTED = (27, 0)
PIN = "gunicorn>=27.0,<27.1"


class UntestedGunicorn(RuntimeError):
    """The installed gunicorn is not the release the serving package's patches are tested on."""


def require_tested_gunicorn(version_info: tuple[int, ...] | None = None) -> None:
    """Raise UntestedGunicorn unless gunicorn is a 27.0 release."""
    installed = tuple(version_info or gunicorn.version_info)
    if installed[:2] != TESTED:
        found = ".".join(map(str, installed))
        raise UntestedGunicorn(
            f"gateway.serving patches gunicorn internals and is tested on gunicorn 27.0.x only, not {found}: "
            f'install "{PIN}" (services/gateway/pyproject.toml), or run the gateway with another worker class '
            "(GUNICORN_WORKER_CLASS=gthread) until the patches are tested on the new release"
        )
