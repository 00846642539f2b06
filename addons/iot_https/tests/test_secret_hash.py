"""The secrets handed to boxes and admins: only their salted hash is kept, and only the exact secret "
"matches."""

from iot_https.tools import issue_secret, secret_index, verify_secret


def test_issued_secret_matches_its_hash_and_nothing_else():
    issued = issue_secret()
    assert verify_secret(issued.secret, issued.hashed)
    assert issued.secret not in issued.hashed
    assert not verify_secret(issued.secret + "x", issued.hashed)
    assert not verify_secret(issue_secret().secret, issued.hashed)


def test_same_secret_hashes_differently_each_time_thanks_to_the_salt():
    issued = issue_secret()
    other = issue_secret()
    assert issued.hashed != other.hashed
    assert issued.hashed.split("$")[2] != other.hashed.split("$")[2]  # scheme$params$salt$hash


def test_index_is_read_back_from_the_secret_and_rejects_other_shapes():
    issued = issue_secret()
    assert secret_index(issued.secret) == issued.index
    for not_a_secret in ("", "abc", "no-dot-at-all-here", ".rest", "short.rest", f"{issued.index}."):
        assert secret_index(not_a_secret) is None


def test_missing_or_malformed_hash_never_matches():
    issued = issue_secret()
    for hashed in (None, "", "plain", "sha256$only-one-dollar"):
        assert not verify_secret(issued.secret, hashed)
