"""The box's error codes (docs/protocols.md §7, the documentation's "Fouten") and the exception that carries one."""

from __future__ import annotations

NO_SERVER = "ERR_IOT_HTTPS_CHECK_NO_SERVER"
CERT_READ_EXCEPTION = "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION"
NO_CREDENTIAL = "ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL"
REQUEST_EXCEPTION = "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"
REQUEST_STATUS = "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS"
NO_RESULT = "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"

ALL = (NO_SERVER, CERT_READ_EXCEPTION, NO_CREDENTIAL, REQUEST_EXCEPTION, REQUEST_STATUS, NO_RESULT)


class CheckFailed(Exception):
    """The certificate check stopped with ``code``; ``detail`` says what happened, in words a user follows."""

    def __init__(self, code: str, detail: str, http_status: int | None = None) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.http_status = http_status


def headline(code: str, http_status: int | None) -> str:
    """The code as the homepage shows it: ``ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404`` carries the status."""
    return f"{code} {http_status}" if http_status is not None else code
