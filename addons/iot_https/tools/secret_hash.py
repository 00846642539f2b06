"""Random secrets handed out once (connection tokens, box secrets) and kept only as salted hashes.

A secret reads ``<index>.<random part>``: the index (not secret on its own) finds the one row to check, the
way Odoo's API keys do, so the database never has to try every hash. The secrets are 256-bit random, so they are
stored with ``iot_common.secret_hash``'s ``sha256`` scheme: slow key-stretching only protects guessable passwords,
and would cap how many box reports a server can take per second.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from iot_common.secret_hash import hash_secret
from iot_common.secret_hash import verify_secret as verify_secret

INDEX_LENGTH = 12


class IssuedSecret(NamedTuple):
    secret: str  # shown once to whoever receives it, never stored
    index: str  # stored in clear, to find the row
    hashed: str  # stored: "sha256$$<salt>$<digest>"


def issue_secret() -> IssuedSecret:
    """A new secret with its index and salted hash."""
    index = secrets.token_hex(INDEX_LENGTH // 2)
    secret = f"{index}.{secrets.token_urlsafe(32)}"
    return IssuedSecret(secret, index, hash_secret(secret, "sha256"))


def secret_index(secret: str) -> str | None:
    """The index part of a secret, or None when the text does not have a secret's shape."""
    index, dot, rest = secret.partition(".")
    if not dot or len(index) != INDEX_LENGTH or not rest:
        return None
    return index

