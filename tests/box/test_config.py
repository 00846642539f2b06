"""odoo.conf: written atomically, private, and keys this box does not know are kept (docs/protocols.md §3)."""

from __future__ import annotations

import hashlib
import os
import stat

from boxhelpers import new_box

from iot_box.config import BoxConfig


def test_update_keeps_unknown_keys_and_sections_and_is_private(tmp_path):
    path = tmp_path / "odoo.conf"
    path.write_text("[options]\nlog_level = debug\n\n[iot.box]\nFancyKey = 1\ndb_uuid = old\n")
    config = BoxConfig(path)
    config.update(db_uuid="new", box_secret="s3cret", enterprise_code=None)
    text = path.read_text()
    assert "log_level = debug" in text and "FancyKey = 1" in text
    reread = BoxConfig(path)
    assert reread.get("db_uuid") == "new" and reread.get("box_secret") == "s3cret"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert os.listdir(tmp_path) == ["odoo.conf"]  # no temporary file left


def test_none_and_empty_values_read_as_missing(tmp_path):
    config = BoxConfig(tmp_path / "odoo.conf")
    assert config.get("remote_server") is None
    config.update(remote_server="http://x", token="t")
    config.update(token=None, remote_server="")
    assert BoxConfig(tmp_path / "odoo.conf").get("token") is None
    assert BoxConfig(tmp_path / "odoo.conf").get("remote_server") is None


def test_an_admin_password_stored_in_the_old_format_still_opens_and_is_stored_again_with_its_cost(tmp_path):
    salt = bytes.fromhex("5a" * 16)
    old = f"scrypt${salt.hex()}${hashlib.scrypt(b'shop-pw', salt=salt, n=2**14, r=8, p=1).hex()}"
    box = new_box(tmp_path / "box")
    box.config.update(admin_password_hash=old)
    assert not box.password_ok("shop-PW")
    assert box.config.get("admin_password_hash") == old  # a wrong password changes nothing
    assert box.password_ok("shop-pw")
    stored = box.config.get("admin_password_hash")
    assert stored.startswith("scrypt$n=16384,r=8,p=1$")
    assert box.password_ok("shop-pw") and not box.password_ok("shop-PW")
