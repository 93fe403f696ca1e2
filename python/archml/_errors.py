"""The exceptions archml raises: one per kind of archml's error (src/archml/core/error.h).

Each is also the built-in exception Python code expects for that kind, so
``except ValueError`` catches invalid input and ``except FileNotFoundError`` a missing
file, column, run or bundle. The message is archml's, the one the command line prints.
"""


class ArchmlError(Exception):
    """Base class of every error archml raises."""


class InvalidInputError(ArchmlError, ValueError):
    """Malformed input: a bad argument, a broken file, a value the recipe refuses."""


class NotFoundError(ArchmlError, FileNotFoundError, LookupError):
    """A file, column, run, bundle or registered model that does not exist."""


class StorageError(ArchmlError, OSError):
    """The operating system or a server (S3) refused a read or a write."""


class UnsupportedError(ArchmlError, NotImplementedError):
    """A valid request that archml does not handle (yet)."""


class InternalError(ArchmlError, RuntimeError):
    """A bug in archml: please report it with the message."""
