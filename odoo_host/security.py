"""Secrets at rest: scrypt with a random salt, compared in constant time.

A verified (hash, secret) pair is remembered in memory (as an HMAC, never the secret itself) so that an
external API script that sends its password with every call does not pay the key derivation each time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

N, R, P = 2**14, 8, 1
_verified: OrderedDict[bytes, None] = OrderedDict()
_verified_lock = threading.Lock()
_process_key = secrets.token_bytes(32)
CACHE_SIZE = 1024


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_secret(secret: str, stored: str | None) -> bool:
    if not stored or not secret:
        return False
    marker = hmac.new(_process_key, f"{stored}\0{secret}".encode(), hashlib.sha256).digest()
    with _verified_lock:
        if marker in _verified:
            _verified.move_to_end(marker)
            return True
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    if not hmac.compare_digest(digest, _unb64(expected)):
        return False
    with _verified_lock:
        _verified[marker] = None
        while len(_verified) > CACHE_SIZE:
            _verified.popitem(last=False)
    return True


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())
