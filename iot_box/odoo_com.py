"""The certificate request to odoo.com (docs/protocols.md §1), mapped onto the box's error codes (docs/protocols.md §7).

odoo.com's own TLS certificate is always verified: against ``--odoo-com-ca`` when given, else the system
store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests

from iot_box import errors
from iot_box.errors import CheckFailed

X509_PATH = "/odoo-enterprise/iot/x509"
REFUSAL_HEADER = "X-Odoo-Iot-Refusal"


@dataclass(frozen=True)
class Issued:
    chain_pem: bytes
    key_pem: bytes  # b"" when the box sent a CSR
    subject_cn: str


@dataclass
class OdooCom:
    url: str
    ca_file: Path | None = None
    timeout: float = 10.0

    def __post_init__(self) -> None:
        self._session = requests.Session()  # keep-alive: a renewal or a retry reuses the connection

    def request_certificate(self, db_uuid: str, enterprise_code: str, csr_pem: bytes | None) -> Issued:
        params = {"db_uuid": db_uuid, "enterprise_code": enterprise_code}
        if csr_pem is not None:
            params["csr"] = csr_pem.decode("ascii")
        body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        try:
            response = self._session.post(self.url.rstrip("/") + X509_PATH, json=body, timeout=self.timeout,
                                          verify=str(self.ca_file) if self.ca_file else True)
        except OSError as exc:  # requests' errors, and a CA bundle path that does not exist (yet)
            raise CheckFailed(errors.REQUEST_EXCEPTION, f"{type(exc).__name__}: {exc}") from None
        if response.status_code != 200:
            phrase = f" {response.reason}" if response.reason else ""
            raise CheckFailed(errors.REQUEST_STATUS, f"odoo.com answered HTTP {response.status_code}{phrase}",
                              response.status_code)
        return _read_answer(response)


def _no_result(why: str) -> CheckFailed:
    return CheckFailed(errors.NO_RESULT, why)


def _read_answer(response: requests.Response) -> Issued:
    try:
        answer = response.json()
    except ValueError:
        raise _no_result("odoo.com's answer is not JSON") from None
    if not isinstance(answer, dict):
        raise _no_result("odoo.com's answer is not a JSON-RPC object")
    if "error" in answer:
        error = answer["error"] if isinstance(answer["error"], dict) else {"message": answer["error"]}
        raise _no_result(f"odoo.com answered with an error: {error.get('message') or error}")
    result = answer.get("result")
    if result is False or result is None:
        reason = response.headers.get(REFUSAL_HEADER)
        raise _no_result(f"odoo.com refused the certificate ({reason or 'no reason given'})")
    if not isinstance(result, dict):
        raise _no_result("odoo.com's answer has no certificate")
    if "error" in result:
        raise _no_result(f"odoo.com refused the certificate ({result.get('error')}: "
                         f"{result.get('message', '')})")
    chain, key, subject = result.get("x509_pem"), result.get("private_key_pem"), result.get("subject_cn")
    if not isinstance(chain, str) or not chain or not isinstance(key, str) or not isinstance(subject, str):
        fields = (("x509_pem", chain), ("private_key_pem", key), ("subject_cn", subject))
        missing = [name for name, value in fields if not isinstance(value, str)]
        raise _no_result(f"odoo.com's answer lacks {', '.join(missing) or 'the certificate'}")
    return Issued(chain.encode("utf-8"), key.encode("utf-8"), subject)
