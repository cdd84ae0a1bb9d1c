"""The SSRF policy: which addresses are public, how hosts are read, and what a URL is vetted to."""

import socket

import pytest

from shared.webhooks.ssrf import UnsafeUrl, check_url, is_public_address, literal_address, vet

NOT_PUBLIC = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "0.1.2.3",
    "192.0.0.8",
    "192.0.2.1",
    "198.18.0.1",
    "192.88.99.1",  # 6to4 relay anycast
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd12:3456::1",
    "fec0::1",  # site-local
    "ff02::1",
    "2001:db8::1",
    "100::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible
    "::8.8.8.8",  # IPv4-compatible, even of a public address
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::808:808",  # local-use NAT64
]
PUBLIC = ["8.8.8.8", "93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_global_addresses_are_not_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_global_unicast_addresses_are_public(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("example.com", None),
        ("hooks.example.com.", None),
    ],
)
def test_hosts_written_as_numbers_are_read_as_resolvers_read_them(host, address):
    found = literal_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize("host", ["256.1", "1.2.3.4.5", "08.1", "1..2", "0x1g.1", "example.123"])
def test_malformed_numeric_hosts_are_refused(host):
    with pytest.raises(UnsafeUrl):
        literal_address(host)


def resolver(*addresses: str):
    def resolve(host, port, type=0):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port)) for a in addresses]

    return resolve


def nowhere(host, port, type=0):
    raise AssertionError(f"{host} must not be looked up")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://017700000001:8080/",
        "http://127.1/",
        "http://0.0.0.0:8000/",
        "http://0/",
        "http://[::1]/",
        "http://[::]/",
        "http://[2002:7f00:1::]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://[fe80::1%25eth0]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://localhost.localdomain/",
        "http://ip6-localhost/",
    ],
)
def test_literal_and_local_hosts_are_refused_without_a_lookup(url):
    with pytest.raises(UnsafeUrl):
        check_url(url, resolve=nowhere)


@pytest.mark.parametrize(
    "answers",
    [["10.0.0.7"], ["93.184.216.34", "192.168.1.10"], ["169.254.169.254"], ["::1"], ["2002:7f00:1::"], ["fe80::1%2"]],
)
def test_a_name_is_refused_when_any_of_its_addresses_is_not_public(answers):
    with pytest.raises(UnsafeUrl):
        check_url("https://hooks.example.com/in", resolve=resolver(*answers))


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/", "file:///etc/passwd", "https://u:p@93.184.215.14/", "http:///x", "http://[::1"]
)
def test_only_http_urls_with_a_host_and_no_credentials(url):
    with pytest.raises(UnsafeUrl):
        check_url(url, allow_private=True)


def test_a_name_that_does_not_resolve_is_refused_at_registration():
    def unknown(host, port, type=0):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(UnsafeUrl, match="does not resolve"):
        check_url("https://nowhere.example/", resolve=unknown)


def test_vet_pins_the_address_it_checked():
    target = vet("https://hooks.example.com:8443/in", resolve=resolver("93.184.216.34", "2606:2800:220:1::1"))
    assert str(target.address) == "93.184.216.34" and target.port == 8443 and target.public
    assert str(vet("http://0x5d.0xb8.0xd7.0x0e/", resolve=nowhere).address) == "93.184.215.14"


def test_private_targets_pass_only_when_allowed_and_are_known_as_not_public():
    target = vet("http://2130706433:9000/", allow_private=True, resolve=nowhere)
    assert str(target.address) == "127.0.0.1" and not target.public
    check_url("http://127.0.0.1:9000/hook", allow_private=True)
    with pytest.raises(UnsafeUrl):
        check_url("http://127.0.0.1:9000/hook")


def test_a_host_name_idna_cannot_encode_is_refused_not_an_error():
    with pytest.raises(UnsafeUrl, match="not a valid host name"):
        vet("https://" + "a" * 64 + ".example/")  # a label longer than 63 characters
