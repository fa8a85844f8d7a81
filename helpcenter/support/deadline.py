"""A bound on a whole conversation with the mail server or the helpdesk webhook.

The timeouts of smtplib and http.client apply to each socket operation: a server that sends a
byte every few seconds and never ends a line holds the sender for ever, and with it a
background thread and a message that waits for it. A SendDeadline shuts the connection down
once the whole send has taken too long, which wakes the blocked read with an error; the send
then fails as any other (DeliveryError, retried later).

It keeps a duplicate of each connection's socket, taken as soon as the plain TCP connection
exists: shutting down the duplicate ends the connection itself, even after smtplib or
http.client has wrapped the socket in TLS (or while it is still shaking hands).
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
import urllib.request
from types import TracebackType


class SendDeadline:
    """`with SendDeadline(seconds) as deadline:` around one send; every connection the send
    makes is `watch`ed (the SMTP and HTTP helpers below do it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> SendDeadline:
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        with self._lock:
            for duplicate in self._watched:
                duplicate.close()
            self._watched.clear()

    def watch(self, connection: socket.socket) -> socket.socket:
        """Puts `connection` under the deadline (cut at once if it has passed already)."""
        duplicate = connection.dup()
        with self._lock:
            self._watched.append(duplicate)
            if self.expired:
                _cut(duplicate)
        return connection

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for duplicate in self._watched:
                _cut(duplicate)


def _cut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # closed already: nothing left to cut
        connection.shutdown(socket.SHUT_RDWR)


# --- SMTP ----------------------------------------------------------------------------------


class _WatchedSMTP(smtplib.SMTP):
    """SMTP whose plain TCP connection is watched by `self.deadline` from the moment it exists
    (SMTP._get_socket makes it; SMTP_SSL wraps it in TLS afterwards)."""

    deadline: SendDeadline

    def _get_socket(self, host, port, timeout):
        return self.deadline.watch(super()._get_socket(host, port, timeout))


class _SMTP(_WatchedSMTP):
    def __init__(self, host: str, port: int, *, deadline: SendDeadline, **options) -> None:
        self.deadline = deadline  # before connecting, which __init__ does
        super().__init__(host, port, **options)


class _SMTP_SSL(smtplib.SMTP_SSL, _WatchedSMTP):
    def __init__(self, host: str, port: int, *, deadline: SendDeadline, **options) -> None:
        self.deadline = deadline
        super().__init__(host, port, **options)


def smtp_connection(
    host: str, port: int, *, timeout: float, tls: ssl.SSLContext | None, deadline: SendDeadline
) -> smtplib.SMTP:
    """A connected SMTP client (over TLS from the start with `tls`), cut at `deadline`."""
    if tls is not None:
        return _SMTP_SSL(host, port, timeout=timeout, context=tls, deadline=deadline)
    return _SMTP(host, port, timeout=timeout, deadline=deadline)


# --- HTTP ----------------------------------------------------------------------------------


class _WatchedHandler(urllib.request.AbstractHTTPHandler):
    deadline: SendDeadline

    def do_open(self, http_class, req, **connection_options):
        deadline = self.deadline

        class WatchedConnection(http_class):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                # http.client keeps the function that opens the TCP connection here (so that
                # tests can replace it): every socket it opens, before a proxy tunnel or TLS.
                create = self._create_connection
                self._create_connection = lambda *a, **k: deadline.watch(create(*a, **k))

        return super().do_open(WatchedConnection, req, **connection_options)


class _HTTPHandler(_WatchedHandler, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_WatchedHandler, urllib.request.HTTPSHandler):
    pass


def http_opener(deadline: SendDeadline) -> urllib.request.OpenerDirector:
    """urllib's opener (proxies from the environment, TLS checked as `urlopen` does) whose
    connections are cut at `deadline`."""
    handlers = (_HTTPHandler(), _HTTPSHandler())
    for handler in handlers:
        handler.deadline = deadline
    return urllib.request.build_opener(*handlers)
