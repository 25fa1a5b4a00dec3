"""Reading one input's bytes safely: size limit, binary check, strict UTF-8.

Every reader goes through here, so the reasons an input is refused read the
same whichever format it has; refusals are `sitrep.errors.InputError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from sitrep.errors import InputError
from sitrep.limits import current_limits

# One article, even as a whole saved web page, is far below this; a larger
# file is a mistake (a dump, a disk image) and is refused before it is read.
# The default of `sitrep.limits.Limits.document_bytes` (SITREP_MAX_DOCUMENT_BYTES).
MAX_DOCUMENT_BYTES = current_limits().document_bytes
# Like git and grep: a NUL byte near the start means the file is not text.
BINARY_SNIFF_BYTES = 8192


def read_document_bytes(path: Path) -> bytes:
    """The whole content of a one-document file, after the size and binary checks."""
    source = str(path)
    limit = current_limits().document_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                source,
                f"file too large for one article ({size:,} bytes; the limit is "
                f"{limit:,}, SITREP_MAX_DOCUMENT_BYTES); put many articles in a .jsonl file",
            )
        with path.open("rb") as handle:
            # Bounded even if the file grows between stat and read (a log, a FIFO).
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise InputError(source, f"file too large for one article (over {limit:,} bytes)")
    except OSError as error:
        raise InputError(source, describe_os_error(error)) from error
    check_document_bytes(data, source)
    return data


def read_stream_bytes(stream: BinaryIO, source: str) -> bytes:
    """The whole of a one-document stream (standard input), with the same checks."""
    limit = current_limits().document_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(source, f"input too large for one article (over {limit:,} bytes)")
    check_document_bytes(data, source)
    return data


def check_document_bytes(data: bytes, source: str) -> None:
    """Refuse empty and binary content."""
    if not data.strip():
        raise InputError(source, "empty file" if data == b"" else "file holds only whitespace")
    if looks_binary(data):
        raise InputError(source, "binary file, not text")


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:BINARY_SNIFF_BYTES]


def decode_utf8(data: bytes, source: str) -> str:
    """Strict UTF-8 (a leading byte-order mark is dropped); anything else is refused.

    Refusing rather than replacing keeps offsets and hashes honest: a Latin-1
    file decoded with replacement characters would be coded as a damaged text.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            source,
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert the file to UTF-8",
        ) from error


def describe_os_error(error: OSError) -> str:
    """The reason of an OS error in a few words, without the repeated file name."""
    reason = error.strerror or type(error).__name__
    return reason[0].lower() + reason[1:] if reason else "cannot be read"
