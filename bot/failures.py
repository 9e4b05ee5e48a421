"""Start-up failures a person can fix: one or two lines saying what to do, each with its own exit code.

``python -m bot`` prints these instead of a traceback (``--debug`` adds it);
the README's "Exit codes" table lists them.
"""

from __future__ import annotations

import aiohttp
import discord

from bot.content.errors import ContentError
from bot.privacy.keys import DataKeyError

EXIT_OK = 0
EXIT_SETTINGS = 2
EXIT_TOKEN = 3
EXIT_DISCORD_UNREACHABLE = 4
EXIT_DATABASE = 5
EXIT_DATA_KEY = 6
EXIT_CONTENT = 7

# What to say about a bad token (not a token itself).
BAD_TOKEN = (
    "Discord refused DISCORD_TOKEN: it is wrong, or it was reset or revoked.\n"  # noqa: S105
    "Copy a new one into .env: https://discord.com/developers/applications > your app > Bot > Reset Token."
)


class StartupFailure(Exception):  # noqa: N818 - the base of the ...Error failures
    """A problem outside the code (a setting, a server, a file) that stops the bot before it runs."""

    exit_code = 1


class DiscordUnreachableError(StartupFailure):
    """Discord's API could not be reached, even after retrying."""

    exit_code = EXIT_DISCORD_UNREACHABLE


class DatabaseUnavailableError(StartupFailure):
    """DATABASE_URL names a database that cannot be opened or migrated."""

    exit_code = EXIT_DATABASE


def _content_lines(error: ContentError) -> str:
    """Return two lines about broken content: the first problem, and what to do."""
    first = error.problems[0] if error.problems else "unknown problem"
    more = len(error.problems) - 1
    extra = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
    return (
        f"Hearth's content files are missing or invalid: {first}{extra}.\n"
        "Reinstall Hearth (or restore bot/content/data/); `hearth check` lists every problem."
    )


def explain(error: BaseException) -> tuple[str, int] | None:
    """Return the message and exit code for a failure a person can fix, or None for a bug."""
    if isinstance(error, StartupFailure):
        return str(error), error.exit_code
    if isinstance(error, discord.LoginFailure):
        return BAD_TOKEN, EXIT_TOKEN
    if isinstance(error, DataKeyError):
        return str(error), EXIT_DATA_KEY
    if isinstance(error, ContentError):
        return _content_lines(error), EXIT_CONTENT
    if isinstance(error, aiohttp.ClientConnectionError | discord.GatewayNotFound):
        return unreachable_message(str(error) or type(error).__name__), EXIT_DISCORD_UNREACHABLE
    return None


def unreachable_message(reason: str) -> str:
    """Return the two lines that say Discord could not be reached."""
    return (
        f"Cannot reach Discord ({reason}).\n"
        "Check this machine's internet connection and DISCORD_API_BASE, then start Hearth again."
    )
