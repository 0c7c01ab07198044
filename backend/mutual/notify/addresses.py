"""Where a webhook may point: http(s) URLs whose host resolves only to public addresses.
Private, loopback, link-local, reserved, multicast and unspecified addresses are refused (SSRF)
unless `webhook_allow_private_addresses` is set; the check runs when an endpoint is saved and
again before every delivery (the name may resolve elsewhere by then). Deliveries connect
through `CheckedBackend`, which resolves the name once per connection, checks those addresses
and connects to them: a name that answers a public address to the check and a private one to a
second lookup (DNS rebinding) never gets the connection there."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore

from mutual.kit.errors import DomainError
from mutual.notify.errors import NotifyErrorCode as Code

MAX_URL_LENGTH = 2000


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def parse_url(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL, or INVALID_URL."""
    value = url.strip()
    parts = urlsplit(value)
    if (
        len(value) > MAX_URL_LENGTH
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
    ):
        raise DomainError(
            Code.INVALID_URL,
            "Give an http:// or https:// URL with a host (no user or password), "
            f"at most {MAX_URL_LENGTH} characters.",
            field="url",
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise DomainError(Code.INVALID_URL, "The URL's port is not valid.", field="url") from None
    return parts.hostname, port


async def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise DomainError(
            Code.INVALID_URL, f"The host {host!r} does not resolve.", field="url"
        ) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


async def checked_addresses(
    host: str, port: int, *, allow_private: bool
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses `host` resolves to, if a webhook may go to them; else PRIVATE_ADDRESS."""
    addresses = list(dict.fromkeys(await resolve(host, port)))
    if not allow_private:
        refused = [a for a in addresses if not _is_public(a)]
        if refused or not addresses:
            raise DomainError(
                Code.PRIVATE_ADDRESS,
                f"{host} resolves to a private, loopback or link-local address "
                f"({', '.join(sorted({str(a) for a in refused}))}): webhooks go to public "
                "addresses only.",
                field="url",
            )
    return addresses


async def check_url(url: str, *, allow_private: bool) -> str:
    """The URL, stripped, if a webhook may be sent to it; else INVALID_URL or PRIVATE_ADDRESS."""
    host, port = parse_url(url)
    await checked_addresses(host, port, allow_private=allow_private)
    return url.strip()


class RefusedAddress(httpcore.ConnectError):
    """A connection refused by the address check (its message says why)."""


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend for webhook deliveries: each new connection resolves the
    host once, checks every address, and connects to a checked one, never by name. The request
    keeps its URL: the Host header, and for https the TLS server name (SNI) and the
    certificate's hostname check, are the URL's host (httpcore sets them from the origin)."""

    def __init__(self, *, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._network = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore calls it so
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await checked_addresses(host, port, allow_private=self._allow_private)
        except DomainError as refused:
            raise RefusedAddress(refused.message) from None
        failure: Exception = RefusedAddress(f"{host} resolves to no address.")
        for address in addresses:
            try:
                return await self._network.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore calls it so
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedAddress("Webhooks are sent over TCP only.")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)
