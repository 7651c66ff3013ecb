"""Errors that reach the user: each carries a one-line Chinese reason."""


class InputError(Exception):
    """The input cannot be read as an annual report (command-line exit status 2)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
