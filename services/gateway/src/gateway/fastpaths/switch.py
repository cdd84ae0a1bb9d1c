"""FAST_PATHS for the fast paths that are process-wide objects (compiled dumps, the compiled report loader).

The submission middleware and the search pool belong to one app and are simply
not built when the setting is off. The compiled schemas are module-level
objects shared by every app in the process, so their switch is one value,
set by `create_app` from its settings (a deployed process builds one app):
`FAST_PATHS=0` in the environment turns them off with the rest.
"""

_enabled = True


def enabled() -> bool:
    """Whether the compiled dumps and loads run, as `create_app` last set it (on until then)."""
    return _enabled


def set_enabled(on: bool) -> None:
    """Set by `create_app` from `GatewaySettings.fast_paths`; the gunicorn worker reads it after loading the app."""
    global _enabled
    _enabled = on
