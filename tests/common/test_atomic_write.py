"""One atomic write: a file holds its old content or its new content, never a mix, and no temporary file is left."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from iot_common import files


# 0o644 too: a temporary file is made 0o600, so that mode alone would not show the mode asked is applied.
@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_it_replaces_the_content_with_the_mode_asked(tmp_path, mode):
    target = tmp_path / "odoo.conf"
    target.write_bytes(b"old")
    files.atomic_write(target, b"new", mode)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["odoo.conf"]


def test_a_crash_before_the_rename_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "ca.pem"
    target.write_bytes(b"old content")
    seen = []

    def crash(src, dst):
        seen.append(open(src, "rb").read())  # the new content was complete on disk before the rename
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        files.atomic_write(target, b"new content")
    assert target.read_bytes() == b"old content"
    assert seen == [b"new content"]
    assert [p.name for p in tmp_path.iterdir()] == ["ca.pem"]  # the temporary file is gone too


def test_the_folder_is_flushed_after_the_rename(tmp_path, monkeypatch):
    order = []
    real_replace, real_fsync_dir = os.replace, files.fsync_dir
    monkeypatch.setattr(os, "replace", lambda a, b: (order.append("rename"), real_replace(a, b)))
    monkeypatch.setattr(files, "fsync_dir", lambda p: (order.append(("fsync_dir", p)), real_fsync_dir(p)))
    files.atomic_write(tmp_path / "f", b"x")
    assert order == ["rename", ("fsync_dir", tmp_path)]


def test_writers_at_the_same_time_never_share_a_temporary_file(tmp_path):
    target = tmp_path / "settings"
    contents = [bytes([65 + n]) * 100_000 for n in range(8)]
    barrier = threading.Barrier(len(contents))

    def write(data):
        barrier.wait()
        files.atomic_write(target, data)

    threads = [threading.Thread(target=write, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in contents  # one writer's whole content, not a mix
    assert [p.name for p in tmp_path.iterdir()] == ["settings"]


def test_write_new_file_refuses_to_overwrite(tmp_path):
    files.write_new_file(tmp_path / "key.pem", b"k", 0o600)
    with pytest.raises(FileExistsError):
        files.write_new_file(tmp_path / "key.pem", b"other", 0o600)
    assert (tmp_path / "key.pem").read_bytes() == b"k"
