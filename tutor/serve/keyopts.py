"""The OpenSSH authorized_keys options the class server honours, and the refusal of the rest.

Honoured: `from="pattern-list"` (addresses with `*`/`?` wildcards, CIDR
networks, `!` negation; host names are never looked up, so they are refused),
`expiry-time="YYYYMMDD[HHMM[SS]][Z]"` (local time unless `Z`), and `pty`,
`restrict`, `no-port-forwarding`, `no-agent-forwarding`, `no-X11-forwarding`,
`no-user-rc`, which the server enforces for every key anyway, and the
server's own `gd-tutor-teacher`: the key's owner is a teacher, who gets the
class dashboard instead of the tutor. A key the options would forbid a terminal (`no-pty`, or `restrict` without `pty`) could
never reach the tutor, so it is refused at start, like every other option.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone

KEY_TYPE_PREFIXES = ("ssh-", "ecdsa-", "sk-", "rsa-")
ENFORCED_ANYWAY = {"restrict", "pty", "no-port-forwarding", "no-agent-forwarding",
                   "no-x11-forwarding", "no-user-rc"}
TEACHER_OPTION = "gd-tutor-teacher"
HONOURED = ("from=, expiry-time=, pty, restrict, no-port-forwarding, no-agent-forwarding, "
            f"no-X11-forwarding, no-user-rc and {TEACHER_OPTION}")
_ADDRESS_PATTERN = re.compile(r"[0-9A-Fa-f.:*?]+")
_EXPIRY = re.compile(r"(\d{8})(\d{4})?(\d{2})?(Z?)")


class KeyOptionError(ValueError):
    """An option the server cannot honour; the message is the end of one sentence."""


@dataclass(frozen=True)
class AddressPatterns:
    """One from= pattern list: allowed if some positive pattern matches and no negated one."""

    allow: tuple[str, ...]
    deny: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> AddressPatterns:
        """Parse `a,b,!c`; KeyOptionError for host names or bad networks."""
        allow, deny = [], []
        for raw in text.split(","):
            pattern = raw.strip()
            negated = pattern.startswith("!")
            pattern = pattern[1:] if negated else pattern
            _check_pattern(pattern)
            (deny if negated else allow).append(pattern)
        return cls(tuple(allow), tuple(deny))

    def allows(self, address: str) -> bool:
        """True when `address` matches the list."""
        if any(_matches(p, address) for p in self.deny):
            return False
        return any(_matches(p, address) for p in self.allow)


def _check_pattern(pattern: str) -> None:
    if "/" in pattern:
        try:
            ipaddress.ip_network(pattern, strict=True)
        except ValueError:
            raise KeyOptionError(f"'{pattern}' in from= is not a network like "
                                 "192.168.1.0/24") from None
    elif not _ADDRESS_PATTERN.fullmatch(pattern):
        raise KeyOptionError(f"'{pattern}' in from= is not an address pattern (host names are "
                             "not looked up; use addresses, wildcards or networks)")


def _matches(pattern: str, address: str) -> bool:
    if "/" in pattern:
        try:
            return ipaddress.ip_address(address) in ipaddress.ip_network(pattern)
        except ValueError:
            return False
    return fnmatch.fnmatchcase(address.lower(), pattern.lower())


@dataclass(frozen=True)
class KeyRules:
    """What one authorized_keys line allows beyond its key: where from, until when, and
    whether it marks its owner as a teacher."""

    origins: tuple[AddressPatterns, ...] = ()
    expires: float | None = None  # a Unix time
    teacher: bool = False

    def allows(self, address: str, now: float | None = None) -> bool:
        """True when a login from `address` at `now` is within this line's options."""
        now = time.time() if now is None else now
        if self.expires is not None and now >= self.expires:
            return False
        return all(origin.allows(address) for origin in self.origins)


def parse_expiry(text: str) -> float:
    """`YYYYMMDD[HHMM[SS]][Z]` as a Unix time (local time unless it ends in Z)."""
    match = _EXPIRY.fullmatch(text)
    if not match:
        raise KeyOptionError(f"expiry-time=\"{text}\" is not YYYYMMDD[HHMM[SS]][Z]")
    day, hm, sec, zulu = match.groups()
    try:
        moment = datetime.strptime(day + (hm or "0000") + (sec or "00"), "%Y%m%d%H%M%S")
    except ValueError:
        raise KeyOptionError(f"expiry-time=\"{text}\" is not a real date and time") from None
    return moment.replace(tzinfo=timezone.utc).timestamp() if zulu else moment.timestamp()


def split_options(line: str) -> tuple[list[tuple[str, str | None]], str]:
    """Split `opt,opt="v, w" ssh-ed25519 AAAA... comment` into options and the rest."""
    if line.startswith(KEY_TYPE_PREFIXES):
        return [], line
    options: list[tuple[str, str | None]] = []
    current, quoted, escaped, index = "", False, False, 0
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
            continue
        elif char == '"':
            quoted = not quoted
        elif not quoted and char in ", \t":
            options.append(_option(current))
            current = ""
            if char != ",":
                break
            continue
        current += char
    else:
        raise KeyOptionError("no public key follows the options")
    if quoted:
        raise KeyOptionError("a quote in the options is not closed")
    return options, line[index:].strip()


def _option(text: str) -> tuple[str, str | None]:
    name, sep, value = text.partition("=")
    if sep and not (len(value) >= 2 and value[0] == value[-1] == '"'):
        raise KeyOptionError(f"the value of {name}= must be in double quotes")
    return name.lower(), value[1:-1] if sep else None


def key_rules(options: list[tuple[str, str | None]]) -> KeyRules:
    """The rules of one line's options; KeyOptionError for anything not honoured."""
    origins, expires, terminal, teacher = [], None, True, False
    for name, value in options:
        if name == "from" and value is not None:
            origins.append(AddressPatterns.parse(value))
        elif name == "expiry-time" and value is not None:
            expires = min(parse_expiry(value), expires or float("inf"))
        elif name in ENFORCED_ANYWAY and value is None:
            terminal = name == "pty" or (terminal and name != "restrict")
        elif name == "no-pty" and value is None:
            terminal = False
        elif name == TEACHER_OPTION and value is None:
            teacher = True
        else:
            raise KeyOptionError(f"the option '{name}' is not supported by the class server "
                                 f"(it honours {HONOURED})")
    if not terminal:
        raise KeyOptionError("no-pty (or restrict without pty) would keep this key from ever "
                             "opening the tutor; add 'pty' or remove it")
    return KeyRules(tuple(origins), expires, teacher)
