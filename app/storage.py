"""Where uploaded files live: a small storage interface with a local-disk default.

Callers hand bytes in and get an opaque *key* back; they never build a path.
Keys are generated here (a random UUID, hex) and every backend refuses a key
that does not look like one it made, so nothing a user typed — a file name,
``../../etc/passwd`` — ever reaches the file system. Files are kept per
tenant: the tenant id is part of where a file is stored, so a key of one
tenant opens nothing of another.

The default backend, ``LocalStorage``, writes to
``<UPLOAD_ROOT>/<tenant_id>/<key[:2]>/<key>`` (``UPLOAD_ROOT`` defaults to
``instance/uploads``). Several hosts behind a load balancer need a shared
backend instead: write a class with the same three methods (an S3-style
bucket keyed ``<tenant_id>/<key>`` fits naturally) and install it with
``app.extensions["kinerja_storage"] = MyStorage(...)`` in ``create_app`` or a
plugin; ``storage()`` then returns it.

    key = storage().save(tenant_id, data)
    with storage().open(tenant_id, key) as f: ...
    storage().delete(tenant_id, key)

A backend may also keep files *derived* from a stored file (the pages of a
PDF rendered as images, ``app.web.pdfpages``) under a short name next to it:
``save_derived`` / ``open_derived``, removed by ``delete`` with the file.
Both are optional: callers check for them, and a backend without them only
makes such files be derived again on each use.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path
from typing import IO, Protocol

from flask import current_app

KEY_PATTERN = re.compile(r"[0-9a-f]{32}")
DERIVED_NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")  # never a path, never hidden


class StorageError(Exception):
    """A key that this storage never made, or a missing file."""


class Storage(Protocol):
    """What every storage backend offers."""

    def save(self, tenant_id: int, data: bytes) -> str:
        """Store ``data`` for the tenant; return the new, generated key."""

    def open(self, tenant_id: int, key: str) -> IO[bytes]:
        """A readable binary file object for the key; ``StorageError`` if missing."""

    def delete(self, tenant_id: int, key: str) -> None:
        """Remove the file; a missing file is not an error."""

    # Optional (see the module docstring):
    # def save_derived(self, tenant_id: int, key: str, name: str, data: bytes) -> None
    # def open_derived(self, tenant_id: int, key: str, name: str) -> IO[bytes]


def new_key() -> str:
    return uuid.uuid4().hex


def check_key(tenant_id: int, key: str) -> None:
    if not isinstance(tenant_id, int) or isinstance(tenant_id, bool) or tenant_id <= 0:
        raise StorageError("Invalid tenant id.")
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise StorageError("Invalid storage key.")


def check_derived_name(name: str) -> None:
    if not isinstance(name, str) or not DERIVED_NAME_PATTERN.fullmatch(name):
        raise StorageError("Invalid derived file name.")


class LocalStorage:
    """Files on the local disk under ``root``, one directory per tenant."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, tenant_id: int, key: str) -> Path:
        check_key(tenant_id, key)
        return self.root / str(tenant_id) / key[:2] / key

    def save(self, tenant_id: int, data: bytes) -> str:
        key = new_key()
        path = self._path(tenant_id, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name first: a reader never sees half a file.
        partial = path.with_name(f"{key}.partial")
        with open(partial, "xb") as f:
            f.write(data)
        os.replace(partial, path)
        return key

    def open(self, tenant_id: int, key: str) -> IO[bytes]:
        try:
            return open(self._path(tenant_id, key), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError as exc:
            raise StorageError("File not found.") from exc

    def delete(self, tenant_id: int, key: str) -> None:
        path = self._path(tenant_id, key)
        path.unlink(missing_ok=True)
        shutil.rmtree(path.with_name(f"{key}.derived"), ignore_errors=True)

    def _derived_path(self, tenant_id: int, key: str, name: str) -> Path:
        check_derived_name(name)
        return self._path(tenant_id, key).with_name(f"{key}.derived") / name

    def save_derived(self, tenant_id: int, key: str, name: str, data: bytes) -> None:
        """Keep ``data``, made from the stored file ``key``, as ``name`` (replacing
        it); ``StorageError`` when that file is gone."""
        path = self._derived_path(tenant_id, key, name)
        if not self._path(tenant_id, key).is_file():
            raise StorageError("File not found.")
        path.parent.mkdir(exist_ok=True)
        partial = path.with_name(f".{new_key()}.partial")  # two writers never share one
        with open(partial, "xb") as f:
            f.write(data)
        os.replace(partial, path)

    def open_derived(self, tenant_id: int, key: str, name: str) -> IO[bytes]:
        try:
            return open(self._derived_path(tenant_id, key, name), "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError as exc:
            raise StorageError("File not found.") from exc


def storage() -> Storage:
    """The application's storage: an installed backend, else the local disk
    under ``UPLOAD_ROOT`` (read on each call, so tests may point it elsewhere)."""
    installed = current_app.extensions.get("kinerja_storage")
    if installed is not None:
        return installed
    root = current_app.config.get("UPLOAD_ROOT") or Path(current_app.instance_path) / "uploads"
    return LocalStorage(root)
