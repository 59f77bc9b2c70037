"""Backups restore (core.backup, manage.py backup / restore): the populated test database and a media folder
are backed up, checked, and restored into an empty database and another folder, on the database this run uses
(SQLite, and PostgreSQL in CI): every table's rows and every media file's checksum come back; a damaged
archive is refused with what is wrong; a database that holds rows is not overwritten."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from xuthanh.core.backup import (
    BackupError,
    _counts,
    check_backup,
    local_storage,
    make_backup,
    media_checksums,
    model_tables,
    restore_backup,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # a backup reads committed rows


@pytest.fixture
def media(tmp_path):
    storage = local_storage(tmp_path / "media")
    storage.save("photos/thanh-nha-ho.jpg", io.BytesIO(b"\xff\xd8 a photo " * 1000))
    storage.save("photos/small/thanh-nha-ho.webp", io.BytesIO(b"RIFF a small copy"))
    storage.save("imports/places.xlsx", io.BytesIO(b"PK an import"))
    return storage


@pytest.fixture
def empty_database(tmp_path):
    """Settings of a new, empty database of the vendor this run uses."""
    settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings
        return
    import psycopg

    settings["NAME"] = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = {
        "dbname": "postgres",
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
        "autocommit": True,
    }
    with psycopg.connect(**admin) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        raw.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    yield settings
    with psycopg.connect(**admin) as raw:
        raw.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')


def test_a_backup_restores_every_row_and_every_media_file(tmp_path, media, empty_database):
    archive = tmp_path / "backup.tar.gz"
    manifest = make_backup(archive, storage=media)
    connection.ensure_connection()
    source = _counts(connection.vendor, connection.connection, model_tables())
    assert manifest["tables"] == source
    assert source["catalog_place"] > 50 and sum(source.values()) > 1000  # the Thanh Hóa data
    assert manifest["media_files"] == 3 and manifest["database"]["vendor"] == connection.vendor
    assert check_backup(archive) == manifest
    restored_media = local_storage(tmp_path / "restored-media")
    counts = restore_backup(archive, database=empty_database, storage=restored_media)
    assert counts == source
    assert media_checksums(restored_media) == media_checksums(media)
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(archive, database=empty_database, storage=restored_media)


def _rewrite(archive: Path, out: Path, change) -> None:  # noqa: ANN001
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            if data is None:
                continue
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_a_damaged_or_foreign_archive_is_refused_with_what_is_wrong(tmp_path, media, empty_database):
    archive = tmp_path / "backup.tar.gz"
    make_backup(archive, storage=media)
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, lambda name, data: data + b"x" if name.endswith(".webp") else data)
    with pytest.raises(BackupError, match=r"media/photos/small/thanh-nha-ho.webp does not match its checksum"):
        check_backup(damaged)
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(damaged, database=empty_database, storage=local_storage(tmp_path / "r"))
    assert not (tmp_path / "r").exists()  # nothing restored
    headless = tmp_path / "headless.tar.gz"
    _rewrite(archive, headless, lambda name, data: None if name == "manifest.json" else data)
    with pytest.raises(BackupError, match="no manifest.json"):
        check_backup(headless)
    short = tmp_path / "short.tar.gz"
    _rewrite(archive, short, lambda name, data: None if name.endswith(".xlsx") else data)
    with pytest.raises(BackupError, match="missing media/imports/places.xlsx"):
        check_backup(short)
    (tmp_path / "not-a-backup.tar.gz").write_bytes(b"hello")
    with pytest.raises(BackupError, match="not a readable"):
        check_backup(tmp_path / "not-a-backup.tar.gz")


def test_the_commands_back_up_check_and_dry_run(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "command.tar.gz"
    call_command("backup", output=archive)
    assert "rows in" in capsys.readouterr().out and archive.is_file()
    call_command("backup", check=archive)
    assert ": good" in capsys.readouterr().out
    call_command("restore", str(archive), "--dry-run")
    assert "nothing restored" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("backup", check=tmp_path / "nope.tar.gz")
