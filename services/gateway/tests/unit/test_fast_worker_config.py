"""gateway/fastpaths/worker_config.py gives what gunicorn's own look-ups give: settings, peers' trust, Date."""

import ipaddress
import itertools

from gunicorn import util
from gunicorn.config import Config
from gunicorn.http import message

from gateway.fastpaths import worker_config


def _hook(worker, req):
    return ("pre", worker, req)


def _configured() -> Config:
    cfg = Config()
    cfg.set("forwarded_allow_ips", "10.0.0.0/8,127.0.0.1,::1")
    cfg.set("keepalive", 7)
    cfg.set("pre_request", _hook)
    cfg.set("worker_class", "gateway.serving.HeadFirstSyncWorker")
    return cfg


def test_a_frozen_config_reads_every_setting_as_gunicorns_config_does():
    plain, frozen = _configured(), worker_config.freeze(_configured())
    assert type(frozen) is not Config and isinstance(frozen, Config)
    for name in plain.settings:
        assert getattr(frozen, name) == getattr(plain, name), name
    assert frozen.is_ssl == plain.is_ssl
    assert frozen.worker_class is plain.worker_class  # Config's own properties are left as they are
    assert frozen.address == plain.address
    assert frozen.pre_request("w", "r") == ("pre", "w", "r")  # a hook is called as it is, not as a method
    assert frozen.forwarded_allow_networks() == plain.forwarded_allow_networks()
    assert worker_config.freeze(frozen) is frozen and type(worker_config.freeze(frozen)) is type(frozen)


def test_a_frozen_config_with_a_certificate_is_ssl_as_gunicorns_is():
    plain, other = Config(), Config()
    plain.set("certfile", "/x.pem")
    other.set("certfile", "/x.pem")
    assert worker_config.freeze(other).is_ssl == plain.is_ssl == "/x.pem"


def test_the_kept_trust_is_gunicorns_answer_for_every_address_and_list():
    lists = [["127.0.0.1", "::1"], ["*"], ["10.0.0.0/8", "192.168.1.7"], [], ["::1"]]
    lists = [(allowed, [ipaddress.ip_network(a) for a in allowed if a != "*"]) for allowed in lists]
    addresses = ["127.0.0.1", "::1", "10.1.2.3", "192.168.1.7", "192.168.1.8", "8.8.8.8", "not an ip", "", "::ffff:1"]
    for _ in range(2):  # the second time from what was kept
        for (allowed, networks), address in itertools.product(lists, addresses):
            expected = message._ip_in_allow_list(address, allowed, networks)
            assert worker_config.trusted(address, allowed, networks) is expected, (address, allowed)


def test_the_kept_trust_never_answers_for_another_list_with_the_same_address():
    allowed = ["127.0.0.1"]
    assert worker_config.trusted("127.0.0.1", allowed, [ipaddress.ip_network("127.0.0.1")]) is True
    assert worker_config.trusted("127.0.0.1", [], []) is False


def test_the_kept_date_is_gunicorns_date_for_every_second():
    start = 1_765_000_000.0
    for timestamp in [start, start + 0.25, start + 0.999, start + 1, start + 86_399.5, start + 86_400, start]:
        assert worker_config.http_date(timestamp) == util.http_date(timestamp)
    before = util.http_date()
    now = worker_config.http_date()
    after = util.http_date()
    assert now in (before, after)
