"""The customer's name and e-mail address as mail headers, built so that nothing typed can turn
into a different address.

`formataddr` and plain header strings let a name such as `Jörg <attacker@evil.example>`, or an
address holding an encoded word (`=?utf-8?q?a=40evil.example?=@example.com`), be decoded by the
receiving mail client into somebody else's address: the support team would answer an attacker.
So every address header is an `email.headerregistry.Address`, the customer's address must be a
plain ASCII addr-spec, and each header is serialized and parsed back before it is trusted.
The form checks the same rules (`web/forms.py`); they are checked again here for rows stored
before the rules existed. A low module: the settings readers (`config_file.py`) check the
operator's addresses with it too, without depending on support/.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage

from .typed_text import one_line

# The database column; a converted (IDNA) domain can be longer than what was typed.
LONGEST_ADDRESS = 254


class UnusableAddress(ValueError):
    """An e-mail address that cannot be written into a mail header as exactly itself."""


def plain_address(text: str) -> str:
    """`text` as a plain ASCII addr-spec (an internationalized domain in its IDNA form), or
    UnusableAddress: encoded words, a non-ASCII local part, anything `Address` refuses or
    anything that does not parse back as exactly one address equal to itself."""
    address = text.strip()
    local, at, domain = address.rpartition("@")
    if not at or "=?" in address:
        raise UnusableAddress("not a plain e-mail address")
    if not domain.isascii():
        try:
            address = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError as exc:
            raise UnusableAddress("the domain cannot be written in ASCII") from exc
    if not address.isascii() or len(address) > LONGEST_ADDRESS:
        raise UnusableAddress("not a plain ASCII e-mail address")
    try:
        header = Address(addr_spec=address)
    except (ValueError, HeaderParseError, IndexError) as exc:
        raise UnusableAddress("not a plain e-mail address") from exc
    if _parsed_back(header) != [address]:
        raise UnusableAddress("does not parse back as the same address")
    return address


def customer_address(email: str, name: str = "") -> Address:
    """The customer as a header value: their address with their name on one line, or the bare
    address if the name would not survive the round trip (the address always must)."""
    address = plain_address(email)
    try:
        named = Address(display_name=one_line(name), addr_spec=address)
    except (ValueError, HeaderParseError, IndexError):
        named = None
    if named is not None and _parsed_back(named) == [address]:
        return named
    return Address(addr_spec=address)


def _parsed_back(address: Address) -> list[str]:
    """The addr-specs a receiving mail program reads from a header holding `address`."""
    try:
        message = EmailMessage()
        message["To"] = address
        received = message_from_bytes(message.as_bytes(), policy=policy.default)
        return [found.addr_spec for found in received["To"].addresses]
    except (ValueError, HeaderParseError, IndexError):  # the email package's parser gave up
        return []
