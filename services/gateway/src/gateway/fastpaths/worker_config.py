"""gunicorn's per-request look-ups, done once per worker process instead of on every request.

A sync worker answering a small request spends about a tenth of its Python time
on three things that give the same answer every time:

- Settings. Every `cfg.<name>` goes through `Config.__getattr__` and the
  setting's `get()` (about 1 us); a request reads some twenty of them (and
  `is_ssl` is two more each of the four times it is read). `freeze` makes the
  worker's config an instance of a subclass holding every setting's value as a
  class attribute, read like any attribute. A worker never changes its
  settings: the arbiter reloads by starting new workers.
- The peer's trust: whether the peer may set forwarding headers parses its
  address with `ipaddress` and tests it against the allowed networks (about
  6 us). `trusted` keeps each answer, by address and by allow list.
- The Date header: `email.utils.formatdate` (about 4 us) gives the same text
  for a whole second; `http_date` keeps the last one.

`install` puts all three in place for one worker process, after its app is
loaded (gateway.serving.PromptCloseSyncWorker, unless FAST_PATHS=0). Off:
gunicorn's own look-ups.
"""

import time

from gunicorn import util
from gunicorn.config import Config
from gunicorn.http import message

_plain_allow_list_check = message._ip_in_allow_list
_plain_http_date = util.http_date
_TRUST_CACHE_MAX = 4096

_trust: dict[tuple[str, int, int], tuple[object, object, bool]] = {}
_date: list = [None, ""]  # the second, and its Date text


def freeze(cfg: Config) -> Config:
    """`cfg`, its settings' current values now plain class attributes of its own subclass (this process only)."""
    if getattr(type(cfg), "_frozen", False):
        return cfg
    plain = type(cfg)
    # Settings that Config also defines (its properties: worker_class, address, env, sendfile...) stay as they are.
    values = {name: _plain(setting.get()) for name, setting in cfg.settings.items() if not hasattr(plain, name)}
    values["is_ssl"] = values["certfile"] or values["keyfile"]  # the property, worked out once
    values["_frozen"] = True
    cfg.__class__ = type("FrozenConfig", (plain,), values)
    return cfg


def _plain(value):
    """A value to read back as it is from a class attribute: a function (a server hook) must not become a method."""
    return staticmethod(value) if hasattr(type(value), "__get__") else value


def trusted(ip_str: str, allow_list, networks) -> bool:
    """gunicorn's `_ip_in_allow_list`, its answer kept per address and per (long-lived) allow list."""
    key = (ip_str, id(allow_list), id(networks))
    entry = _trust.get(key)
    if entry is not None and entry[0] is allow_list and entry[1] is networks:
        return entry[2]
    answer = _plain_allow_list_check(ip_str, allow_list, networks)
    if len(_trust) >= _TRUST_CACHE_MAX:
        _trust.clear()
    _trust[key] = (allow_list, networks, answer)  # the lists kept alive, so their ids cannot be reused
    return answer


def http_date(timestamp: float | None = None) -> str:
    """gunicorn's `http_date`, the text of the current second kept (formatdate drops the fraction)."""
    if timestamp is None:
        timestamp = time.time()
    second = int(timestamp)
    if _date[0] != second:
        _date[:] = [second, _plain_http_date(second)]
    return _date[1]


def install(cfg: Config) -> None:
    """This worker process reads its settings, its peers' trust and the Date header without working them out."""
    freeze(cfg)
    message._ip_in_allow_list = trusted  # HeaderPolicy and the PROXY check call it by module
    util.http_date = http_date  # the response's default headers call it by module
