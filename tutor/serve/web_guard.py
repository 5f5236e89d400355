"""Which Host and Origin headers the web server answers: no DNS rebinding, no cross-site tabs.

A page on `evil.example` whose name is re-pointed at 127.0.0.1 sends `Host:
evil.example`; a page on any other site that opens a WebSocket to the tutor
sends its own `Origin`. Both are refused with 403. Allowed are the address the
server listens on (with its port), `localhost`/127.0.0.1/::1 when that address
is a loopback one, any IP address when it listens on all of them (0.0.0.0, ::),
and the names a teacher adds with `--allow-host` (any port: a proxy in front).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web

from tutor.errors import UserError

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_AUTHORITY = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass(frozen=True)
class HostPolicy:
    """The names the server answers to: `names` on `port`, `extra` on any port."""

    port: int
    names: frozenset[str]
    extra: frozenset[str] = frozenset()
    any_address: bool = False

    def allows(self, name: str, port: int) -> bool:
        """True if a request for `name:port` is meant for this server."""
        if name in self.extra:
            return True
        if port != self.port:
            return False
        return name in self.names or (self.any_address and _is_address(name))


def normal_name(name: str) -> str:
    """Lower case, no trailing dot, no IPv6 brackets: how names are compared."""
    return name.strip().lower().rstrip(".").removeprefix("[").removesuffix("]")


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_policy(bind_host: str, port: int, allow_hosts: Iterable[str] = ()) -> HostPolicy:
    """The policy for a server listening on `bind_host:port`, plus the teacher's names."""
    bind = normal_name(bind_host)
    names = {bind}
    if _is_loopback(bind):
        names |= LOOPBACK_NAMES
    wildcard = bind in WILDCARDS
    if wildcard:
        names |= LOOPBACK_NAMES | {normal_name(socket.gethostname()), normal_name(socket.getfqdn())}
    return HostPolicy(port=port, names=frozenset(names - {""}), any_address=wildcard,
                      extra=frozenset(check_allowed_name(name) for name in allow_hosts))


def check_allowed_name(name: str) -> str:
    """An `--allow-host` value as compared later; UserError if it is not a host name."""
    parts = split_authority(name)
    if parts is None or ":" in name.strip().rsplit("]", 1)[-1]:
        raise UserError(f"--allow-host takes a host name such as tutor.school.example, "
                        f"not {name!r}.")
    return parts[0]


def split_authority(value: str, default_port: int = 80) -> tuple[str, int] | None:
    """`name[:port]` or `[v6][:port]` as (name, port); None if it is not one."""
    match = _AUTHORITY.fullmatch(value.strip())
    if match is None:
        return None
    port = int(match.group(2)) if match.group(2) else default_port
    name = normal_name(match.group(1))
    return (name, port) if name and port <= 65535 else None


def host_allowed(host_header: str | None, policy: HostPolicy) -> bool:
    """True if the Host header names this server (a missing one never does)."""
    parts = split_authority(host_header) if host_header else None
    return parts is not None and policy.allows(*parts)


def origin_allowed(origin: str | None, host_header: str | None, policy: HostPolicy) -> bool:
    """True if there is no Origin (not a browser) or it is this very site, or a teacher's name.

    A browser always sends Origin with a WebSocket; it must be the page's own
    scheme://host:port, i.e. the same authority as the (already checked) Host.
    """
    if origin is None:
        return True
    try:
        parts = urlsplit(origin.strip())
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.path not in ("", "/") or "@" in parts.netloc:
        return False
    seen = split_authority(parts.netloc, DEFAULT_PORTS[parts.scheme])
    if seen is None:
        return False
    if seen[0] in policy.extra:
        return True
    return host_header is not None and seen == split_authority(host_header)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def guard_middleware(policy: HostPolicy) -> Callable[[web.Request, Handler],
                                                     Awaitable[web.StreamResponse]]:
    """An aiohttp middleware answering 403 to a foreign Host or Origin, before any handler."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host")
        if not host_allowed(host, policy):
            return web.Response(status=403, text="gd-tutor: this server does not answer to that "
                                                 "host name (see 'gd-tutor serve --allow-host').\n")
        if not origin_allowed(request.headers.get("Origin"), host, policy):
            return web.Response(status=403, text="gd-tutor: pages from other sites may not open "
                                                 "the tutor.\n")
        return await handler(request)

    return guard
