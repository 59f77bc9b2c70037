"""Backups that restore: the database and the uploaded media in one archive, with a manifest that lets a backup
be checked before it is needed and a restore be proved complete.

An archive (`.tar.gz`) holds `manifest.json` (format, when, the platform's version, the database's vendor,
the rows of every table, the SHA-256 of every member), the database as the vendor's own tools copy it
(SQLite's online backup API: a consistent copy while the site runs; PostgreSQL's `pg_dump --format=custom`)
and every file of the media storage under `media/` (the local folder or an S3 bucket, through Django's
storage API). `check` opens an archive and verifies every checksum and the database copy (SQLite: integrity
check and row counts; PostgreSQL: `pg_restore --list`). `restore` checks first, refuses a database that
already holds data, restores, then counts every table again against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection as default_connection

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20
SQLITE_PATIENCE = 300  # seconds a SQLite backup waits for pages that writers keep locked

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup that cannot be made, checked or restored; the message says what and where."""


@dataclass(frozen=True)
class Target:
    """Where a database is: its vendor and how the vendor's tools reach it."""

    vendor: str
    settings: dict[str, Any]

    @classmethod
    def of(cls, settings: dict[str, Any]) -> Target:
        engine = settings["ENGINE"].rsplit(".", 1)[-1]
        vendor = {"sqlite3": "sqlite", "postgresql": "postgresql"}.get(engine)
        if vendor is None:
            raise BackupError(f"Backups cover SQLite and PostgreSQL, not {settings['ENGINE']}.")
        return cls(vendor=vendor, settings=settings)

    def pg_env(self) -> dict[str, str]:
        s = self.settings
        env = {**os.environ, "PGHOST": s.get("HOST") or "", "PGPORT": str(s.get("PORT") or ""),
               "PGUSER": s.get("USER") or "", "PGDATABASE": s["NAME"]}
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = s["PASSWORD"]
        return {k: v for k, v in env.items() if v != ""}


def model_tables() -> list[str]:
    """Every table the platform's models (and their many-to-many links) keep, sorted."""
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)
                   if model._meta.managed and not model._meta.proxy})


def _sha256(handle: BinaryIO) -> str:
    """SHA-256 of what is left to read of `handle`, read in blocks (media can be films)."""
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(CHUNK), b""):
        digest.update(block)
    return digest.hexdigest()


class _Hashed:
    """A file read through, its SHA-256 worked out on the way (tarfile copies a member in blocks)."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _counts(vendor: str, raw: Any, tables: list[str]) -> dict[str, int]:
    """Rows per table through a DB-API connection (a table that does not exist counts -1)."""
    counts = {}
    cursor = raw.cursor()
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a table name of our own models
            counts[table] = cursor.fetchone()[0]
        except Exception:  # noqa: BLE001 - a missing table, reported as -1 and compared as such
            if vendor == "postgresql":
                raw.rollback()
            counts[table] = -1
    return counts


def _platform_version() -> str:
    try:
        return metadata.version("xuthanh")
    except metadata.PackageNotFoundError:
        return "unknown"


# ---- backup --------------------------------------------------------------------------------------------------


def make_backup(output: Path, *, storage: Storage | None = None, progress: Progress = lambda _m: None) -> dict:
    """Write an archive of the default database and the media storage to `output` (written beside it, then
    renamed: a crash leaves no half archive under that name); the manifest."""
    storage = storage or default_storage
    target = Target.of(default_connection.settings_dict)
    tables = model_tables()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xuthanh-backup-") as work:
        database = Path(work) / DATABASE_MEMBER[target.vendor]
        progress(f"database ({target.vendor})…")
        if target.vendor == "sqlite":
            default_connection.ensure_connection()
            copy = sqlite3.connect(database)
            started = time.monotonic()

            def patience(_status: int, remaining: int, total: int) -> None:
                if time.monotonic() - started > SQLITE_PATIENCE:  # SQLite retries a busy page for ever
                    raise BackupError(f"The database stayed locked for {SQLITE_PATIENCE} s ({remaining} of "
                                      f"{total} pages left); try again when it is quieter.")

            try:
                with copy:
                    default_connection.connection.backup(copy, pages=1024, progress=patience)
            finally:
                copy.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database}"],
                 target.pg_env(), "pg_dump")
        default_connection.ensure_connection()
        counts = _counts(target.vendor, default_connection.connection, tables)
        with database.open("rb") as handle:
            members = {database.name: _sha256(handle)}
        media = list(_storage_files(storage))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database, arcname=database.name)
            for number, name in enumerate(media, start=1):
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = storage.size(name)
                with storage.open(name, "rb") as handle:
                    reader = _Hashed(handle)
                    archive.addfile(info, reader)
                members[MEDIA_PREFIX + name] = reader.digest.hexdigest()
                if number % 100 == 0 or number == len(media):
                    progress(f"media {number}/{len(media)}")
            manifest = {
                "format": FORMAT,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "platform_version": _platform_version(),
                "database": {"vendor": target.vendor, "member": database.name},
                "tables": counts,
                "media_files": len(media),
                "members": members,
            }
            body = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        partial.replace(output)
    progress(f"written {output}")
    return manifest


def _run(command: list[str], env: dict[str, str], tool: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{tool} is not installed (PostgreSQL's client tools: apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-1000:]}")


# ---- check ---------------------------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict:
    try:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
    except (KeyError, AttributeError):
        raise BackupError(f"{path}: no {MANIFEST}; not a backup of this platform.") from None
    except ValueError as exc:
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r}; this platform reads {FORMAT}.")
    return manifest


def check_backup(path: Path, *, extract_to: Path | None = None, progress: Progress = lambda _m: None) -> dict:
    """Verify an archive without restoring it: every member present with its checksum, nothing unlisted, no
    path leaving the archive, the database copy readable (and, for SQLite, intact with the manifest's row
    counts). With `extract_to`, the members are left there for a restore. The manifest; BackupError else."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path}: not a readable .tar.gz ({exc}).") from None
    with archive, tempfile.TemporaryDirectory(prefix="xuthanh-check-") as work:
        folder = Path(extract_to) if extract_to else Path(work)
        manifest = _read_manifest(archive, path)
        expected = dict(manifest.get("members", {}))
        seen: set[str] = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if member.name not in expected:
                raise BackupError(f"{path}: {member.name} is not in the manifest.")
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"{path}: {member.name} is not a plain file inside the archive.")
            destination = folder / member.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, destination.open("wb") as sink:
                reader = _Hashed(source)
                shutil.copyfileobj(reader, sink, CHUNK)
            if reader.digest.hexdigest() != expected[member.name]:
                raise BackupError(f"{path}: {member.name} does not match its checksum (damaged or changed).")
            seen.add(member.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"{path}: missing {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}.")
        progress(f"{len(seen)} members match their checksums")
        vendor, member = manifest["database"]["vendor"], manifest["database"]["member"]
        database = folder / member
        if vendor == "sqlite":
            raw = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                (status,) = raw.execute("PRAGMA integrity_check").fetchone()
                if status != "ok":
                    raise BackupError(f"{path}: the database copy is damaged ({status}).")
                counts = _counts(vendor, raw, sorted(manifest["tables"]))
            finally:
                raw.close()
            wrong = {t: (counts[t], n) for t, n in manifest["tables"].items() if counts[t] != n}
            if wrong:
                table, (found, listed) = next(iter(wrong.items()))
                raise BackupError(f"{path}: table {table} holds {found} rows, the manifest says {listed}.")
        else:
            _run(["pg_restore", "--list", str(database)], dict(os.environ), "pg_restore --list")
        progress(f"the database copy ({vendor}) reads back")
    return manifest


# ---- restore -------------------------------------------------------------------------------------------------


def restore_backup(
    path: Path,
    *,
    database: dict[str, Any] | None = None,
    storage: Storage | None = None,
    force: bool = False,
    progress: Progress = lambda _m: None,
) -> dict[str, int]:
    """Restore an archive into `database` (settings as in DATABASES; default: the default database) and
    `storage` (default: the media storage): checked first; a database that holds rows is refused unless
    `force`; the restored tables are counted again. The rows per table."""
    target = Target.of(database or default_connection.settings_dict)
    storage = storage or default_storage
    with tempfile.TemporaryDirectory(prefix="xuthanh-restore-") as work:
        manifest = check_backup(path, extract_to=Path(work), progress=progress)
        if manifest["database"]["vendor"] != target.vendor:
            raise BackupError(
                f"{path} is a {manifest['database']['vendor']} backup; the target database is {target.vendor}."
            )
        tables = sorted(manifest["tables"])
        occupied = {t: n for t, n in _target_counts(target, tables).items() if n > 0}
        if occupied and not force:
            table, rows = next(iter(occupied.items()))
            raise BackupError(
                f"The target database is not empty ({table}: {rows} rows, {len(occupied)} tables with rows); "
                "restore into an empty database, or pass --force to replace its content."
            )
        copy = Path(work) / manifest["database"]["member"]
        progress(f"database ({target.vendor})…")
        if target.vendor == "sqlite":
            _restore_sqlite(copy, target)
        else:
            _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
                  f"--dbname={target.settings['NAME']}", str(copy)], target.pg_env(), "pg_restore")
        media = [name for name in manifest["members"] if name.startswith(MEDIA_PREFIX)]
        for number, name in enumerate(media, start=1):
            relative = name[len(MEDIA_PREFIX):]
            if storage.exists(relative):
                storage.delete(relative)
            with (Path(work) / name).open("rb") as handle:
                saved = storage.save(relative, File(handle))
            if saved != relative:
                raise BackupError(f"The media storage saved {relative} as {saved}.")
            if number % 100 == 0 or number == len(media):
                progress(f"media {number}/{len(media)}")
        counts = _target_counts(target, tables)
    wrong = {t: (counts[t], n) for t, n in manifest["tables"].items() if counts[t] != n}
    if wrong:
        table, (found, listed) = next(iter(wrong.items()))
        raise BackupError(f"After the restore, table {table} holds {found} rows; the backup had {listed}.")
    progress(f"restored {sum(counts.values())} rows in {len(counts)} tables and {len(media)} media files")
    return counts


def _restore_sqlite(copy: Path, target: Target) -> None:
    from django.db import connections

    name = str(target.settings["NAME"])
    if name == str(default_connection.settings_dict["NAME"]):
        connections.close_all()  # Django's own connections must not hold the file while it is replaced
    source = sqlite3.connect(copy)
    destination = sqlite3.connect(name, uri=name.startswith("file:"))
    try:
        with destination:
            source.backup(destination)
    finally:
        source.close()
        destination.close()


def _target_counts(target: Target, tables: list[str]) -> dict[str, int]:
    if target.vendor == "sqlite":
        name = str(target.settings["NAME"])
        raw = sqlite3.connect(name, uri=name.startswith("file:"))
        try:
            return _counts("sqlite", raw, tables)
        finally:
            raw.close()
    import psycopg

    s = target.settings
    with psycopg.connect(
        dbname=s["NAME"], host=s.get("HOST") or None, port=s.get("PORT") or None, user=s.get("USER") or None,
        password=s.get("PASSWORD") or None,
    ) as raw:
        return _counts("postgresql", raw, tables)


def media_checksums(storage: Storage | None = None) -> dict[str, str]:
    """{path: SHA-256} of every file of a media storage (what a restore is compared with)."""
    storage = storage or default_storage
    out = {}
    for name in _storage_files(storage):
        with storage.open(name, "rb") as handle:
            out[name] = _sha256(handle)
    return out


def local_storage(root: Path) -> Storage:
    """A media storage in a local folder (a restore into another folder than the configured one)."""
    return FileSystemStorage(location=str(root))
