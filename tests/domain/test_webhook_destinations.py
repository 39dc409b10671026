"""Where webhooks may point: public addresses; private ones only when the allow-list names them."""

from __future__ import annotations

import ipaddress

import pytest

from adapters import safe_http
from domain.errors import ValidationFailed
from domain.webhooks import destinations


def resolver(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[safe_http.IPAddress]:
        if host not in table:
            raise safe_http.Refused(f"the host '{host}' does not resolve")
        return [ipaddress.ip_address(a) for a in table[host]]

    return resolve


PUBLIC = resolver({"hooks.example.com": ["93.184.216.34"], "v6.example.com": ["2606:2800:220:1::1"]})


def refused(url: str, allow: str = "", resolve=PUBLIC) -> str:
    with pytest.raises(ValidationFailed) as err:
        destinations.check(url, allow, resolve)
    (field,) = err.value.fields
    assert field.field == "url"
    return field.message


def test_public_http_and_https_urls_are_accepted():
    assert (
        destinations.check("https://hooks.example.com/keel?x=1", "", PUBLIC)
        == "https://hooks.example.com/keel?x=1"
    )
    assert (
        destinations.check(" http://hooks.example.com:8080/ ", "", PUBLIC) == "http://hooks.example.com:8080/"
    )
    assert destinations.check("https://v6.example.com/", "", PUBLIC)
    assert destinations.check("https://93.184.216.34/", "", PUBLIC)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://hooks.example.com/", "only http and https"),
        ("hooks.example.com/path", "only http and https"),
        ("https://user:pw@hooks.example.com/", "credentials"),
        ("https:///path", "no host"),
        ("https://hooks.example.com:99999/", "not a valid URL"),
        ("https://hooks.example.com/#frag", "fragment"),
        ("https://nowhere.invalid/", "does not resolve"),
    ],
)
def test_malformed_urls_say_why(url, why):
    assert why in refused(url)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.5", "private"),
        ("192.168.1.10", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("fd00::1", "private"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:10.0.0.1", "private"),
    ],
)
def test_non_public_addresses_are_refused(address, kind):
    literal = f"[{address}]" if ":" in address else address
    message = refused(f"http://{literal}/hook", resolve=resolver({address: [address]}))
    assert kind in message and address in message and "KEEL_WEBHOOK_ALLOW_PRIVATE" in message


def test_a_name_that_resolves_to_loopback_is_refused_without_the_allow_list():
    rebinding = resolver({"attacker.example.com": ["127.0.0.1"]})
    assert "loopback" in refused("https://attacker.example.com/", resolve=rebinding)
    # The real resolver too: localhost is loopback whatever it is called.
    assert "loopback" in refused("http://localhost:9/", resolve=safe_http.resolve)


def test_an_allow_listed_network_or_host_name_is_accepted():
    internal = resolver({"receiver.internal": ["10.0.0.7"], "other.internal": ["10.0.0.8"]})
    assert destinations.check("http://receiver.internal/", "10.0.0.0/29", internal)
    assert destinations.check("http://receiver.internal/", "receiver.internal", internal)
    assert "private" in refused("http://other.internal/", "receiver.internal, 10.0.0.0/30", internal)
    assert destinations.check("http://127.0.0.1:8080/", "127.0.0.0/8")
    assert destinations.check("http://localhost:8080/", "localhost", safe_http.resolve)


def test_a_name_with_public_and_private_addresses_is_reached_only_publicly():
    mixed = resolver({"mixed.example.com": ["10.0.0.1", "93.184.216.34"]})
    usable = safe_http.vet_host("mixed.example.com", 443, safe_http.AllowList(), mixed)
    assert [str(a) for a in usable] == ["93.184.216.34"]


def test_a_bad_allow_list_is_a_configuration_error():
    with pytest.raises(ValueError, match="not a valid network"):
        safe_http.AllowList.parse("10.0.0.0/33")


def test_the_connection_is_refused_again_at_send_time():
    """A URL accepted earlier whose name now resolves to a private address is not contacted."""
    rebound = resolver({"hooks.example.com": ["127.0.0.1"]})
    with pytest.raises(safe_http.Refused, match="loopback"):
        safe_http.post(
            "http://hooks.example.com/",
            content=b"{}",
            headers={},
            timeout=1,
            allow=safe_http.AllowList(),
            resolver=rebound,
        )
