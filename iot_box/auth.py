"""Guarding the box's local admin password (hashed by ``iot_common.secret_hash``) and CSRF tokens for its forms."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable


class GuessLimit:
    """After ``allowed`` wrong passwords in a row, no password is even checked for ``pause`` seconds: guessing
    the box's password from the shop's network becomes too slow to be worth it."""

    def __init__(self, allowed: int = 5, pause: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.allowed, self.pause, self.clock = allowed, pause, clock
        self._failures = 0
        self._blocked_until = float("-inf")
        self._lock = threading.Lock()

    def blocked(self) -> bool:
        return self.clock() < self._blocked_until

    def record(self, success: bool) -> None:
        with self._lock:
            self._failures = 0 if success else self._failures + 1
            if self._failures >= self.allowed:
                self._failures = 0
                self._blocked_until = self.clock() + self.pause


class Csrf:
    """Double-submit tokens: a random cookie, and in each form the cookie's HMAC under this run's key."""

    COOKIE = "box_csrf"

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    @staticmethod
    def new_cookie() -> str:
        return secrets.token_urlsafe(24)

    def token_for(self, cookie: str) -> str:
        return hmac.new(self._key, cookie.encode("utf-8"), hashlib.sha256).hexdigest()

    def valid(self, cookie: str | None, token: str | None) -> bool:
        if not (cookie and token):
            return False
        return hmac.compare_digest(self.token_for(cookie).encode(), token.encode("utf-8", "replace"))
