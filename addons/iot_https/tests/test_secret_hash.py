"""The secrets handed to boxes and admins: only their salted hash is kept, and only the exact secret matches."""

import secrets
from unittest import mock

from odoo.tests.common import BaseCase

from ..tools import issue_secret, secret_index, verify_secret


class TestSecretHash(BaseCase):
    def test_issued_secret_matches_its_hash_and_nothing_else(self):
        issued = issue_secret()
        self.assertTrue(verify_secret(issued.secret, issued.hashed))
        self.assertNotIn(issued.secret, issued.hashed)
        self.assertFalse(verify_secret(issued.secret + "x", issued.hashed))
        self.assertFalse(verify_secret(issue_secret().secret, issued.hashed))

    def test_same_secret_hashes_differently_each_time_thanks_to_the_salt(self):
        # The random parts are fixed so that both calls issue the very same secret; only the salt may differ.
        with mock.patch.object(secrets, "token_hex", return_value="0123456789ab"), mock.patch.object(
            secrets, "token_urlsafe", return_value="the-same-random-part"
        ):
            issued = issue_secret()
            other = issue_secret()
        self.assertEqual(issued.secret, other.secret)
        self.assertNotEqual(issued.hashed, other.hashed)
        self.assertTrue(verify_secret(issued.secret, other.hashed))
        self.assertNotEqual(issued.hashed.split("$")[2], other.hashed.split("$")[2])  # scheme$params$salt$hash

    def test_index_is_read_back_from_the_secret_and_rejects_other_shapes(self):
        issued = issue_secret()
        self.assertEqual(secret_index(issued.secret), issued.index)
        for not_a_secret in ("", "abc", "no-dot-at-all-here", ".rest", "short.rest", f"{issued.index}."):
            self.assertIsNone(secret_index(not_a_secret), not_a_secret)

    def test_missing_or_malformed_hash_never_matches(self):
        issued = issue_secret()
        for hashed in (None, "", "plain", "sha256$only-one-dollar"):
            self.assertFalse(verify_secret(issued.secret, hashed), hashed)
