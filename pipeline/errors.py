"""Exceptions and exit codes."""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SOME_FAILED = 1
    BAD_ARGS = 2
    MISSING_DEPENDENCY = 3
    ENVIRONMENT = 4          # the output folder or the environment is the problem (busy, read-only, full, empty run)
    INTERRUPTED = 130
    TERMINATED = 143


class KehoachError(Exception):
    """Base class; `error_type` is what the errors table records."""
    error_type = "error"


class UnsupportedFormat(KehoachError):
    error_type = "unsupported_format"


class EmptyInput(KehoachError):
    error_type = "empty"


class TruncatedInput(KehoachError):
    """Nothing readable in the pages read, and the file has more (--max-pages)."""
    error_type = "truncated"


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


class OutputProblem(KehoachError):
    """The output folder cannot be used: locked by another run, not writable, or holds no run."""
    error_type = "output"


class WorkerCrash(KehoachError):
    """The worker process died on this file (killed, out of memory, a crash in native code)."""
    error_type = "crash"
