"""API keys with roles, from the `api_keys` setting ("key:role[,key2:role2]"). No web framework imported here:
settings.py checks the setting with parse()."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re

ROLES = ("reader", "editor", "admin")  # each may do what the ones before it may
MIN_KEY_CHARS = 16
_KEY = re.compile(r"[A-Za-z0-9._~+/=-]+")


def parse(spec: str) -> dict[str, str]:
    """key -> role. Raises ValueError whose message never contains a key."""
    keys: dict[str, str] = {}
    for n, item in enumerate((spec or "").split(","), start=1):
        if not item.strip():
            continue
        key, sep, role = item.strip().rpartition(":")
        if not sep or not key:
            raise ValueError(f"entry {n} must look like 'key:role' (roles: {', '.join(ROLES)})")
        if role not in ROLES:
            raise ValueError(f"entry {n} has role {role[:20]!r}; roles are {', '.join(ROLES)}")
        if len(key) < MIN_KEY_CHARS or not _KEY.fullmatch(key):
            raise ValueError(f"entry {n}: a key must be at least {MIN_KEY_CHARS} characters of letters, digits "
                             "and ._~+/=-")
        if key in keys:
            raise ValueError(f"entry {n} repeats an earlier key")
        keys[key] = role
    return keys


def masked(spec: str) -> str:
    """The setting as `assistant config` and its errors show it: known roles kept, everything else hidden."""
    roles = [item.strip().rpartition(":")[2] for item in (spec or "").split(",") if item.strip()]
    return ",".join(f"***:{role}" if role in ROLES else "***" for role in roles)


def role_of(keys: dict[str, str], presented: str) -> str | None:
    """The role of a presented key, compared in constant time with every configured key."""
    found = None
    for key, role in keys.items():
        if hmac.compare_digest(key.encode(), presented.encode()):
            found = role
    return found


def allows(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def user_of(key: str) -> str:
    """The name a key's saved conversations and feedback are kept under: a digest, never the key itself."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:12]
