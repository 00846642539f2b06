"""Secrets at rest (``iot_common.secret_hash``: scrypt with a random salt, its cost stored, compared in constant
time), with a memory of the pairs verified.

A verified (hash, secret) pair is remembered in memory (as an HMAC, never the secret itself) so that an
external API script that sends its password with every call does not pay the key derivation each time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

from iot_common import secret_hash

_verified: OrderedDict[bytes, None] = OrderedDict()
_verified_lock = threading.Lock()
_process_key = secrets.token_bytes(32)
CACHE_SIZE = 1024


def hash_secret(secret: str) -> str:
    return secret_hash.hash_secret(secret, "scrypt")


def verify_secret(secret: str, stored: str | None) -> bool:
    if not stored or not secret:
        return False
    marker = hmac.new(_process_key, f"{stored}\0{secret}".encode(), hashlib.sha256).digest()
    with _verified_lock:
        if marker in _verified:
            _verified.move_to_end(marker)
            return True
    if not secret_hash.verify_secret(secret, stored):
        return False
    with _verified_lock:
        _verified[marker] = None
        while len(_verified) > CACHE_SIZE:
            _verified.popitem(last=False)
    return True
