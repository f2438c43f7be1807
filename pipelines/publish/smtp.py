"""Sending mail through the server of PAPERBOARD_SMTP_URL, with the password kept out of sight.

`smtps://user:password@host:465` speaks TLS from the first byte (the default port is 465).
`smtp://host:25` (the default port is 25) upgrades to TLS with STARTTLS whenever the server
offers it, verifying the server's certificate; a server that offers it and then fails the
handshake fails the send (never a silent fall-back to clear text). Without TLS, the password
is only ever sent to a loopback server: to any other host, `smtp://` with a password and no
STARTTLS is refused. User and password are URL-decoded (`%40` for `@`).

The password is in no repr, no error message and no log line: errors name the server by
`host:port` only.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class SmtpSettingError(ValueError):
    """PAPERBOARD_SMTP_URL is not a usable smtp:// or smtps:// URL (the value is not echoed:
    it may hold a password)."""


class ServerUnavailable(RuntimeError):
    """The server cannot be reached, hung up, or refused the session: nothing more can be
    sent through it in this run."""


class MessageRefused(RuntimeError):
    """The server answered one message with an error; the session goes on."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool  # smtps://
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        """`host:port` (an IPv6 host in brackets): how every message names the server."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        if self.host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_smtp_url(url: str) -> SmtpServer:
    """`smtp[s]://[user[:password]@]host[:port]`, checked; errors never repeat the URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise SmtpSettingError(
            "PAPERBOARD_SMTP_URL must look like smtp://host:25 or smtps://user:password@host:465"
        )
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise SmtpSettingError("PAPERBOARD_SMTP_URL has a port that is not a number") from None
    if not parts.hostname:
        raise SmtpSettingError("PAPERBOARD_SMTP_URL names no host")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise SmtpSettingError("PAPERBOARD_SMTP_URL takes no path, query or fragment")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if password and not username:
        raise SmtpSettingError("PAPERBOARD_SMTP_URL has a password but no user name")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        implicit_tls=scheme == "smtps",
        username=username,
        password=password,
    )


class SmtpSession:
    """One connection, opened at the first message and kept for the rest.

    `send` returns once the server accepted the message (its reply to the end of DATA), raises
    `MessageRefused` when the server refused that message and can take the next, and
    `ServerUnavailable` when the session is over.
    """

    def __init__(
        self,
        server: SmtpServer,
        *,
        timeout_seconds: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.server = server
        self.timeout_seconds = timeout_seconds
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        client = self._client or self._connect()
        try:
            refused = client.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
            if client.sock is None:  # the server closed the session (421 and the like)
                self._client = None
                raise ServerUnavailable(self._describe(error)) from None
            raise MessageRefused(self._describe(error)) from None
        except (smtplib.SMTPException, OSError) as error:
            self._drop()
            raise ServerUnavailable(self._describe(error)) from None
        if refused:  # some recipients refused; a digest has one, so this is not expected
            raise MessageRefused(self._describe(refused))

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                self._drop()
            self._client = None

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        client: smtplib.SMTP | None = None
        try:
            if server.implicit_tls:
                client = smtplib.SMTP_SSL(
                    server.host, server.port, timeout=self.timeout_seconds,
                    context=self.ssl_context,
                )  # fmt: skip
                client.ehlo()
                encrypted = True
            else:
                client = smtplib.SMTP(server.host, server.port, timeout=self.timeout_seconds)
                client.ehlo()
                encrypted = client.has_extn("starttls")
                if encrypted:
                    client.starttls(context=self.ssl_context)
                    client.ehlo()
            if server.username:
                if not encrypted and not server.is_loopback:
                    raise ServerUnavailable(
                        f"the SMTP server {server.address} offers no STARTTLS: the password is "
                        "not sent in clear text (use smtps://, or a server that offers STARTTLS)"
                    )
                client.login(server.username, server.password or "")
        except ServerUnavailable:
            _quietly_close(client)
            raise
        except (smtplib.SMTPException, OSError) as error:
            _quietly_close(client)
            raise ServerUnavailable(self._describe(error)) from None
        self._client = client
        return client

    def _drop(self) -> None:
        _quietly_close(self._client)
        self._client = None

    def _describe(self, error: object) -> str:
        """The server's answer or the socket's error, naming the server, never the password."""
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            error = error.recipients
        if isinstance(error, dict):
            text = "; ".join(
                f"{recipient}: {_reply(code, reply)}" for recipient, (code, reply) in error.items()
            )
        elif isinstance(error, smtplib.SMTPResponseException):
            text = _reply(error.smtp_code, error.smtp_error)
        elif isinstance(error, ConnectionRefusedError):
            text = "connection refused"
        else:
            text = str(error) or type(error).__name__
        text = f"the SMTP server {self.server.address}: {text}"
        if self.server.password:
            text = text.replace(self.server.password, "***")
        return text


def _reply(code: int, reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", errors="replace")
    return f"{code} {' '.join(reply.split())}"


def _quietly_close(client: smtplib.SMTP | None) -> None:
    if client is not None:
        with suppress(OSError):
            client.close()
