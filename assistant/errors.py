"""Errors that reach the user: each carries a one-line Chinese reason."""


def caused_by_memory(exc: BaseException | None) -> bool:
    """Whether an exception was caused by running out of memory (parsers often wrap MemoryError)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class InputError(Exception):
    """The input cannot be read as an annual report (command-line exit status 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
