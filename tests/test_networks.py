"""A client's network, the unit customers are counted by (helpcenter/networks.py)."""

from __future__ import annotations

import pytest

from helpcenter.networks import network_key, network_of


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.9", "203.0.113.0/24"),
        ("203.0.113.250", "203.0.113.0/24"),
        ("::ffff:203.0.113.9", "203.0.113.0/24"),  # IPv4 mapped into IPv6: itself
        ("2001:db8:1:2::5", "2001:db8:1::/48"),
        ("2001:db8:1:ffff:aaaa::1", "2001:db8:1::/48"),
        ("fe80::1%eth0", "fe80::/48"),
        ("", "unknown"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_an_address_belongs_to_its_ipv4_slash_24_or_ipv6_slash_48(address, network):
    assert network_of(address) == network


def test_the_key_names_the_network_not_the_address_and_does_not_change_with_the_day(app):
    with app.app_context():
        key = network_key("203.0.113.9")
        assert key == network_key("203.0.113.77") == network_key("::ffff:203.0.113.1")
        assert key != network_key("203.0.114.9")
        assert len(key) == 5 and "203" not in key
        app.config["SECRET_KEY"] = "another secret"
        assert network_key("203.0.113.9") != key  # keyed: unguessable without the secret
