"""Errors whose message is meant for the person who used a command."""

from __future__ import annotations


class UserFacingError(Exception):
    """An expected problem with a kind message that can be shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(UserFacingError):
    """The input could not be used; nothing was changed."""


class NotFoundError(UserFacingError):
    """The thing asked for does not exist (or is not yours)."""


class MissingPermissionsError(UserFacingError):
    """Someone (the user or the bot) lacks a Discord permission."""
