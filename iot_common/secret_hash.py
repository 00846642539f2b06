"""Secrets at rest, one format for every part: ``scheme$params$salt$hash``.

Two schemes:

- ``scrypt`` for secrets a person chooses (passwords): slow on purpose, its cost stored with each hash
  (``scrypt$n=16384,r=8,p=1$<salt>$<hash>``, salt and hash in base64), so that the cost can rise for new hashes
  while the old ones still verify, and ``needs_rehash`` tells when to store a stronger one;
- ``sha256`` for 256-bit random secrets (box secrets, connection tokens, API keys): one salted SHA-256, since
  key-stretching only protects guessable secrets and would cap how many box reports a server takes per second
  (``sha256$$<salt>$<hash>``: no parameter).

``verify_secret`` also accepts the three formats stored before this one, so no stored secret has to be reset:
the database server's ``scrypt$N$R$P$<salt>$<hash>`` (base64), the addon's ``sha256$<salt>$<hash>`` (the salt as
text, hex digest) and the box's ``scrypt$<salt>$<hash>`` (hex, cost n=2**14, r=8, p=1, no parameters stored).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

SCRYPT_COST = {"n": 2**14, "r": 8, "p": 1}
SCRYPT_LENGTH = 32
_OLD_BOX_SCRYPT_LENGTH = 64  # hashlib's default, which the box's first format used
_MAX_SCRYPT_MEMORY = 2**30  # a stored hash may not make us allocate more than this (128 * n * r bytes)


def hash_secret(secret: str, scheme: str = "scrypt") -> str:
    """The text to store for ``secret``: ``scrypt`` for a password, ``sha256`` for a long random secret."""
    salt = secrets.token_bytes(16)
    if scheme == "scrypt":
        params = ",".join(f"{name}={value}" for name, value in SCRYPT_COST.items())
        digest = _scrypt(secret, salt, SCRYPT_COST, SCRYPT_LENGTH)
    elif scheme == "sha256":
        params, digest = "", _sha256(secret, salt)
    else:
        raise ValueError(f"unknown secret hash scheme {scheme!r}: use 'scrypt' or 'sha256'")
    return f"{scheme}${params}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` is the one ``stored`` was made from (any format above), compared in constant time."""
    if not stored or not secret:
        return False
    try:
        candidate, expected = _candidate(secret, stored.split("$"))
    except (ValueError, TypeError, binascii.Error, MemoryError):
        return False
    return hmac.compare_digest(candidate, expected)


def needs_rehash(stored: str | None) -> bool:
    """Whether ``stored`` should be replaced by a new hash of the same secret (after it verified): an older format,
    or a scrypt cost below today's."""
    fields = (stored or "").split("$")
    if len(fields) != 4:
        return True
    if fields[0] != "scrypt":
        return False
    try:
        cost = _params(fields[1])
    except ValueError:
        return True
    return any(cost.get(name, 0) < value for name, value in SCRYPT_COST.items())


def _candidate(secret: str, fields: list[str]) -> tuple[bytes, bytes]:
    """(hash of ``secret`` made as the stored one was, the stored hash)."""
    match fields:
        case ["scrypt", params, salt, digest]:
            expected = _unb64(digest)
            return _scrypt(secret, _unb64(salt), _params(params), len(expected)), expected
        case ["sha256", "", salt, digest]:
            return _sha256(secret, _unb64(salt)), _unb64(digest)
        case ["scrypt", n, r, p, salt, digest]:  # the database server's first format
            expected = _unb64(digest)
            cost = {"n": int(n), "r": int(r), "p": int(p)}
            return _scrypt(secret, _unb64(salt), cost, len(expected)), expected
        case ["sha256", salt, digest]:  # the addon's first format: the salt is hashed as the text it is stored as
            return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest().encode(), digest.encode()
        case ["scrypt", salt, digest]:  # the box's first format
            candidate = _scrypt(secret, bytes.fromhex(salt), SCRYPT_COST, _OLD_BOX_SCRYPT_LENGTH)
            return candidate.hex().encode(), digest.encode()
    raise ValueError("not a stored secret hash")


def _scrypt(secret: str, salt: bytes, cost: dict[str, int], length: int) -> bytes:
    n, r, p = cost["n"], cost["r"], cost["p"]
    memory = 128 * n * r * 2  # scrypt's working memory, with room for its own bookkeeping
    if memory > _MAX_SCRYPT_MEMORY:
        raise ValueError("scrypt cost too high")
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=memory)


def _sha256(secret: str, salt: bytes) -> bytes:
    return hashlib.sha256(salt + secret.encode("utf-8")).digest()


def _params(text: str) -> dict[str, int]:
    cost = {}
    for pair in text.split(","):
        name, _, value = pair.partition("=")
        cost[name] = int(value)
    if set(cost) != set(SCRYPT_COST):
        raise ValueError("scrypt parameters must be n, r and p")
    return cost


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
