"""Discord's JSON error responses, raised by handlers and turned into HTTP answers."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error Discord would answer with: HTTP status plus ``{"code": N, "message": "..."}``."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> dict[str, Any]:
        """Return the JSON body Discord sends for this error."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


def form_error(path: str, code: str, message: str) -> ApiError:
    """Return a 400 50035 "Invalid Form Body" naming one bad field (dotted path)."""
    errors: dict[str, Any] = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(path.split(".")):
        errors = {part: errors}
    return ApiError(400, 50035, "Invalid Form Body", errors)


def unknown_channel() -> ApiError:
    """404 10003."""
    return ApiError(404, 10003, "Unknown Channel")


def unknown_message() -> ApiError:
    """404 10008."""
    return ApiError(404, 10008, "Unknown Message")


def unknown_guild() -> ApiError:
    """404 10004."""
    return ApiError(404, 10004, "Unknown Guild")


def unknown_member() -> ApiError:
    """404 10007."""
    return ApiError(404, 10007, "Unknown Member")


def unknown_user() -> ApiError:
    """404 10013."""
    return ApiError(404, 10013, "Unknown User")


def unknown_interaction() -> ApiError:
    """404 10062: the interaction token is unknown or its 3 s have passed."""
    return ApiError(404, 10062, "Unknown interaction")


def unknown_command() -> ApiError:
    """404 10063."""
    return ApiError(404, 10063, "Unknown application command")


def unknown_webhook() -> ApiError:
    """404 10015."""
    return ApiError(404, 10015, "Unknown Webhook")


def invalid_webhook_token() -> ApiError:
    """401 50027."""
    return ApiError(401, 50027, "Invalid Webhook Token")


def missing_access() -> ApiError:
    """403 50001: the bot cannot see the channel or guild."""
    return ApiError(403, 50001, "Missing Access")


def missing_permissions() -> ApiError:
    """403 50013."""
    return ApiError(403, 50013, "Missing Permissions")


def cannot_dm() -> ApiError:
    """403 50007: the user closed DMs (or blocked the bot)."""
    return ApiError(403, 50007, "Cannot send messages to this user")


def no_mutual_guilds() -> ApiError:
    """403 50278."""
    return ApiError(403, 50278, "Cannot send messages to this user due to having no mutual guilds")


def already_acknowledged() -> ApiError:
    """400 40060."""
    return ApiError(400, 40060, "Interaction has already been acknowledged.")


def unauthorized() -> ApiError:
    """401 0."""
    return ApiError(401, 0, "401: Unauthorized")


def not_found() -> ApiError:
    """404 0: no such endpoint."""
    return ApiError(404, 0, "404: Not Found")


def empty_message() -> ApiError:
    """400 50006."""
    return ApiError(400, 50006, "Cannot send an empty message")


def too_many_followups() -> ApiError:
    """400 40094: an interaction authorized only by a user install posted its 5 follow-ups."""
    return ApiError(400, 40094, "This interaction has hit the maximum number of follow up messages")
