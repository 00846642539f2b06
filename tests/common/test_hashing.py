"""One way to store a secret: its scheme and cost stored with it, the formats stored before still verifying."""

from __future__ import annotations

import base64
import hashlib

import pytest

from iot_common.secret_hash import SCRYPT_COST, hash_secret, needs_rehash, verify_secret


def test_a_password_hash_stores_its_scheme_and_cost():
    stored = hash_secret("correct horse")
    scheme, params, salt, digest = stored.split("$")
    assert (scheme, params) == ("scrypt", "n=16384,r=8,p=1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert "correct horse" not in stored
    assert verify_secret("correct horse", stored)
    assert not verify_secret("correct horsE", stored)
    assert not needs_rehash(stored)


def test_a_random_secret_uses_one_salted_sha256_without_parameters():
    stored = hash_secret("0123456789ab.long-random-part", "sha256")
    assert stored.startswith("sha256$$")
    assert verify_secret("0123456789ab.long-random-part", stored)
    assert not verify_secret("0123456789ab.long-random-parT", stored)
    assert not needs_rehash(stored)


def test_the_same_secret_hashes_differently_each_time():
    assert hash_secret("s", "sha256") != hash_secret("s", "sha256")


@pytest.mark.parametrize("n, stored_format", [
    # today's format at a lower cost than today's
    (2**10, "scrypt$n={n},r=8,p=1${salt}${digest}"),
    # the format odoo_host stored before: scrypt$N$R$P$<base64 salt>$<base64 digest>, 32 bytes
    (2**14, "scrypt${n}$8$1${salt}${digest}"),
], ids=["lower cost", "server's old format"])
def test_an_older_scrypt_hash_still_verifies_and_asks_to_be_redone(n, stored_format):
    salt = b"salt-of-16-bytes"
    digest = hashlib.scrypt(b"pw", salt=salt, n=n, r=8, p=1, dklen=32)
    stored = stored_format.format(n=n, salt=base64.b64encode(salt).decode(), digest=base64.b64encode(digest).decode())
    assert verify_secret("pw", stored) and not verify_secret("pW", stored)
    assert needs_rehash(stored)


def test_the_addons_old_salted_sha256_secrets_verify():
    # The format the addon stored for box secrets and connection tokens: sha256$<salt text>$<hex of salt:secret>.
    salt, secret = "00112233445566778899aabbccddeeff", "abcdef012345.the-random-part"
    stored = f"sha256${salt}${hashlib.sha256(f'{salt}:{secret}'.encode()).hexdigest()}"
    assert verify_secret(secret, stored) and not verify_secret(secret + "x", stored)


def test_the_boxs_old_scrypt_without_parameters_verifies():
    # The box stored scrypt$<hex salt>$<hex digest>, cost n=2**14, r=8, p=1 and hashlib's 64-byte default length.
    salt = bytes.fromhex("a1" * 16)
    digest = hashlib.scrypt(b"box-admin", salt=salt, **SCRYPT_COST)
    stored = f"scrypt${salt.hex()}${digest.hex()}"
    assert verify_secret("box-admin", stored) and not verify_secret("box-admiN", stored)
    assert needs_rehash(stored)


@pytest.mark.parametrize("stored", [
    None, "", "plain", "sha256$only-one-dollar", "md5$$c2FsdA==$ZGlnZXN0", "scrypt$n=1,r=1$c2FsdA==$ZGlnZXN0",
    "scrypt$n=1048576,r=64,p=1$c2FsdA==$ZGlnZXN0",  # a cost that would take gigabytes: refused, not computed
    "sha256$$not base64!$ZGlnZXN0", "scrypt$zz$00",
])
def test_malformed_or_unknown_hashes_never_match(stored):
    assert not verify_secret("anything", stored)


def test_an_empty_secret_never_matches():
    assert not verify_secret("", hash_secret("", "sha256"))


def test_an_unknown_scheme_is_refused_when_hashing():
    with pytest.raises(ValueError, match="scrypt"):
        hash_secret("x", "md5")
