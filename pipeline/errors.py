"""Exceptions and exit codes."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_FAILED = 1
    BAD_ARGS = 2
    MISSING_DEPENDENCY = 3
    INTERRUPTED = 130


class KehoachError(Exception):
    """Base class; `error_type` is what the errors table records."""
    error_type = "error"


class UnsupportedFormat(KehoachError):
    error_type = "unsupported_format"


class EmptyInput(KehoachError):
    error_type = "empty"


class CorruptFile(KehoachError):
    error_type = "corrupt"


class EncryptedFile(KehoachError):
    error_type = "encrypted"


class TooLarge(KehoachError):
    error_type = "too_large"


class MissingDependency(KehoachError):
    error_type = "missing_dependency"


class DecodeFailed(KehoachError):
    error_type = "encoding"


class MissingFile(KehoachError):
    error_type = "not_found"


class StageTimeout(KehoachError):
    error_type = "timeout"
