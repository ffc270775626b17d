"""Where inputs and outputs live: a local path, or an object-store URL (`s3://bucket/prefix`, AWS or MinIO).

Every location the pipeline touches is a plain string; this module tells the two kinds apart and gives the
few operations the pipeline needs on each (read, write whole objects, list, delete), through pyarrow's
filesystems. Local paths keep using the os module directly (atomic renames, flock): only URLs go through
here to pyarrow, so local behaviour does not change.

S3 is configured by the usual environment: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or any credential
source of the AWS SDK), AWS_REGION, and AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) for MinIO or any other
S3-compatible server, e.g. `http://minio:9000`.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import json
import os
import shutil
import tempfile
import time
from typing import Any
from urllib.parse import urlsplit

import pyarrow.fs as pafs

REMOTE_SCHEMES = ("s3",)


def is_remote(location: str) -> bool:
    """True for an object-store URL (s3://...), False for a local path."""
    location = str(location)
    return ":" in location and urlsplit(location).scheme in REMOTE_SCHEMES  # no scheme without a colon: no parse


def join(base: str, *parts: str) -> str:
    """`os.path.join` for local paths; '/'-joined keys for URLs."""
    if not is_remote(base):
        return os.path.join(base, *parts)
    return "/".join([base.rstrip("/"), *(part.strip("/") for part in parts if part)])


def dirname(location: str) -> str:
    return location.rsplit("/", 1)[0] if is_remote(location) else os.path.dirname(location)


def basename(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1] if is_remote(location) else os.path.basename(location)


@functools.cache
def _s3(endpoint: str, region: str) -> pafs.S3FileSystem:
    options: dict[str, Any] = {}
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options["endpoint_override"] = parts.netloc
        options["scheme"] = parts.scheme or "https"
    if region:
        options["region"] = region
    return pafs.S3FileSystem(**options)


def filesystem(location: str) -> tuple[pafs.FileSystem, str]:
    """The pyarrow filesystem of a URL and the path inside it ('bucket/key')."""
    parts = urlsplit(location)
    if parts.scheme != "s3":
        raise ValueError(f"not an object-store URL: {location}")
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
    return _s3(endpoint, region), f"{parts.netloc}{parts.path}".rstrip("/")


def _url(location: str, path: str) -> str:
    return f"{urlsplit(location).scheme}://{path}"


def exists(location: str) -> bool:
    if not is_remote(location):
        return os.path.exists(location)
    fs, path = filesystem(location)
    return fs.get_file_info(path).type != pafs.FileType.NotFound


def is_file(location: str) -> bool:
    if not is_remote(location):
        return os.path.isfile(location)
    fs, path = filesystem(location)
    return fs.get_file_info(path).type == pafs.FileType.File


def size(location: str) -> int:
    if not is_remote(location):
        return os.stat(location).st_size
    fs, path = filesystem(location)
    return fs.get_file_info(path).size


def list_files(location: str, pattern: str = "*", recursive: bool = False) -> list[tuple[str, int]]:
    """(URL or path, size) of the files under `location` whose name matches `pattern`, sorted."""
    if not is_remote(location):
        raise ValueError("list_files is for URLs; local callers walk with os")
    fs, path = filesystem(location)
    infos = fs.get_file_info(pafs.FileSelector(path, allow_not_found=True, recursive=recursive))
    return sorted((_url(location, info.path), info.size) for info in infos
                  if info.type == pafs.FileType.File and fnmatch.fnmatch(info.base_name, pattern))


def glob_files(directory: str, pattern: str) -> list[str]:
    """The files directly in `directory` matching `pattern`, sorted (local or URL)."""
    if not is_remote(directory):
        import glob

        return sorted(glob.glob(os.path.join(directory, pattern)))
    return [url for url, _ in list_files(directory, pattern)]


def last_modified(location: str) -> float | None:
    """When anything under a directory was last written (POSIX seconds), or None if it does not exist.

    Locally the directory's own time counts too (a file deleted or renamed in it is a change).
    """
    if is_remote(location):
        fs, path = filesystem(location)
    else:
        fs, path = pafs.LocalFileSystem(), os.path.abspath(location)
    own = fs.get_file_info(path)
    if own.type == pafs.FileType.NotFound:
        return None
    infos = fs.get_file_info(pafs.FileSelector(path, allow_not_found=True, recursive=True))
    times = [info.mtime.timestamp() for info in [own, *infos] if info.mtime is not None]
    return max(times, default=None)


def list_dirs(location: str) -> list[str]:
    """Names of the sub-directories (key prefixes) directly under `location`."""
    if not is_remote(location):
        try:
            return sorted(name for name in os.listdir(location) if os.path.isdir(os.path.join(location, name)))
        except FileNotFoundError:
            return []
    fs, path = filesystem(location)
    infos = fs.get_file_info(pafs.FileSelector(path, allow_not_found=True))
    return sorted(info.base_name for info in infos if info.type == pafs.FileType.Directory)


def read_bytes(location: str) -> bytes:
    if not is_remote(location):
        with open(location, "rb") as handle:
            return handle.read()
    fs, path = filesystem(location)
    with fs.open_input_stream(path) as stream:
        return stream.read()


def write_bytes(location: str, data: bytes) -> None:
    """Write a whole file: locally through a temporary file renamed into place; on S3 one PUT, which
    becomes visible (and replaces the old object) only once complete."""
    if not is_remote(location):
        os.makedirs(os.path.dirname(location) or ".", exist_ok=True)
        temporary = f"{location}.tmp{os.getpid()}"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, location)
        return
    fs, path = filesystem(location)
    with fs.open_output_stream(path) as stream:
        stream.write(data)


def read_json(location: str, attempts: int = 5) -> Any:
    """A JSON document. On S3 a read racing a replacement of the object can get a range of the new
    object sized by the old one (a HEAD, then a GET); such a torn read is retried, never returned."""
    for attempt in range(attempts):
        data = read_bytes(location)
        try:
            return json.loads(data.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            if not is_remote(location) or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def write_json(location: str, data: Any) -> None:
    write_bytes(location, json.dumps(data, indent=1, ensure_ascii=False, default=str).encode("utf-8"))


def upload(local_path: str, location: str) -> None:
    """Copy a local file to a URL (a single object that appears only once the upload is complete)."""
    fs, path = filesystem(location)
    pafs.copy_files(local_path, path, source_filesystem=pafs.LocalFileSystem(), destination_filesystem=fs)


def download(location: str, local_path: str) -> None:
    fs, path = filesystem(location)
    os.makedirs(os.path.dirname(local_path) or ".", exist_ok=True)
    pafs.copy_files(path, local_path, source_filesystem=fs, destination_filesystem=pafs.LocalFileSystem())


def open_stream(location: str):
    """A binary stream of a file, read front to back without a local copy (a local file or an S3 object)."""
    if not is_remote(location):
        return open(location, "rb")  # noqa: SIM115 - closed by the caller
    fs, path = filesystem(location)
    return fs.open_input_stream(path)


def download_range(location: str, local_path: str, start: int, end: int) -> None:
    """Copy the bytes [start, end) of an object to a local file, a chunk at a time (S3 ranged reads)."""
    fs, path = filesystem(location)
    os.makedirs(os.path.dirname(local_path) or ".", exist_ok=True)
    with fs.open_input_file(path) as source, open(local_path, "wb") as target:
        source.seek(start)
        left = end - start
        while left > 0 and (chunk := source.read(min(left, 1 << 20))):
            target.write(chunk)
            left -= len(chunk)


def open_input_file(location: str):
    """A seekable file for pyarrow readers: the path itself when local, a pyarrow RandomAccessFile on S3."""
    if not is_remote(location):
        return location
    fs, path = filesystem(location)
    return fs.open_input_file(path)


def remove(location: str) -> None:
    """Delete one file; missing is fine."""
    if not is_remote(location):
        with contextlib.suppress(FileNotFoundError):
            os.remove(location)
        return
    fs, path = filesystem(location)
    with contextlib.suppress(FileNotFoundError):
        fs.delete_file(path)


def remove_tree(location: str) -> None:
    """Delete a directory (every object under a prefix) and all it holds; missing is fine."""
    if not is_remote(location):
        shutil.rmtree(location, ignore_errors=True)
        return
    fs, path = filesystem(location)
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return
    fs.delete_dir_contents(path, missing_dir_ok=True)
    with contextlib.suppress(OSError):
        fs.delete_dir(path)


def scratch_dir() -> str:
    """A private local directory for files on their way to or from object storage."""
    return tempfile.mkdtemp(prefix="newsetl-")
