"""Whom the search throttles count: the client's address (an IPv6 client by its /64), as a
keyed hash, whatever cookie it sends."""

from helpcenter.web.request_limits import throttled_client


def test_an_ipv4_client_counts_alone_and_an_ipv6_client_by_its_slash_64():
    assert throttled_client("192.0.2.1") != throttled_client("192.0.2.2")
    assert throttled_client("::ffff:192.0.2.1") == throttled_client("192.0.2.1")
    # Any host may use every address of its /64 (privacy addresses rotate within it).
    assert throttled_client("2001:db8:1:2::1") == throttled_client("2001:db8:1:2:abcd:ef:1:9")
    assert throttled_client("2001:db8:1:3::1") != throttled_client("2001:db8:1:2::1")
    assert throttled_client(None) == throttled_client(None)  # no address: one client, no error
