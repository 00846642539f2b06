"""Web sessions, kept in PostgreSQL (table ``ir_session``) so that several workers and machines share them.

The session id travels in an HttpOnly, SameSite cookie; only its SHA-256 is stored, so a copy of the database
opens no session. Logging in or out gives a new id (no session fixation).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from typing import Any

from werkzeug.wrappers import Response

SESSION_COOKIE = "session_id"
SESSION_LIFETIME = datetime.timedelta(days=7)


class Session:
    """The web session: ``uid`` once logged in, a CSRF secret, and a small dict for addons."""

    def __init__(
        self,
        sid: str | None = None,
        uid: int | None = None,
        csrf_secret: str | None = None,
        data: dict | None = None,
    ) -> None:
        self.sid = sid
        self.uid = uid
        self.csrf_secret = csrf_secret or secrets.token_hex(32)
        self.data = data or {}
        self.modified = False
        self.rotate = False

    @staticmethod
    def _hash(sid: str) -> str:
        return hashlib.sha256(sid.encode()).hexdigest()

    @classmethod
    def load(cls, cr: Any, sid: str | None) -> Session:
        """The session of this cookie, if it has not expired; one used daily lives on (its expiry is pushed
        back at most once a day, so pages do not write)."""
        if sid:
            cr.execute(
                "SELECT uid, csrf_secret, context, expiration < (now() at time zone 'UTC') + %s "
                "FROM ir_session WHERE sid_hash = %s AND expiration > (now() at time zone 'UTC')",
                (SESSION_LIFETIME - datetime.timedelta(days=1), cls._hash(sid)),
            )
            row = cr.fetchone()
            if row:
                session = cls(sid, row[0], row[1], json.loads(row[2] or "{}"))
                session.modified = row[3]
                return session
        return cls()

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.modified = True

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def authenticate(self, env: Any, login: str, password: str) -> int:
        """Log ``login`` in (AccessDenied when the password is wrong); a new session id against fixation."""
        uid = env["res.users"].sudo()._login(login, password)
        self.uid = uid
        self.rotate = True
        return uid

    def logout(self) -> None:
        self.uid = None
        self.data = {}
        self.rotate = True

    def touch(self) -> None:
        """Keep the session in the database even for a visitor not logged in (the login form's CSRF token)."""
        if self.sid is None:
            self.modified = True

    def save(self, cr: Any, response: Response, secure: bool) -> None:
        if not (self.modified or self.rotate):
            return
        if self.sid and self.rotate:
            cr.execute("DELETE FROM ir_session WHERE sid_hash = %s", (self._hash(self.sid),))
        if self.sid is None or self.rotate:
            self.sid = secrets.token_urlsafe(32)
            if self.rotate:
                self.csrf_secret = secrets.token_hex(32)
        expiration = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + SESSION_LIFETIME
        cr.execute(
            "INSERT INTO ir_session (sid_hash, uid, csrf_secret, context, expiration) "
            "VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (sid_hash) DO UPDATE SET uid = EXCLUDED.uid, context = EXCLUDED.context, "
            "expiration = EXCLUDED.expiration",
            (self._hash(self.sid), self.uid, self.csrf_secret, json.dumps(self.data), expiration),
        )
        response.set_cookie(
            SESSION_COOKIE,
            self.sid,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=secure,
            path="/",
        )
