"""`python -m bot`: run Hearth, or `python -m bot check` to validate everything offline."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

from pydantic import ValidationError

from bot.app import MissingTokenError, create_bot, run_bot
from bot.content.errors import ContentError
from bot.log import setup_logging
from bot.offline_check import run_offline_check
from bot.privacy.cli import print_new_key, run_rotate_key
from bot.privacy.keys import DataKeyError
from bot.settings import Settings, describe_validation_error

log = logging.getLogger("bot")

EXIT_USAGE = 2

SETUP_INSTRUCTIONS = """\
Hearth needs a bot token to connect to Discord, and none is set.

1. Open https://discord.com/developers/applications and choose "New Application".
2. Under "Bot", press "Reset Token" and copy the token.
3. Put it in a file named .env next to this README:  DISCORD_TOKEN=your-token
   (copy .env.example to .env to start from every setting).
4. Invite the bot: under "OAuth2" > "URL Generator" tick the scopes "bot" and
   "applications.commands" and the permissions listed in the README, or use the
   invite URL the bot logs at start-up.
5. Run `make run` (or `python -m bot`) again."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Run the Hearth Discord bot.")
    parser.add_argument(
        "command",
        nargs="?",
        choices=["run", "check", "keygen", "rotate-key"],
        default="run",
        help="run the bot (default), check settings, content and migrations offline, print a new data key"
        " (keygen) or re-encrypt private text under HEARTH_NEW_DATA_KEY (rotate-key)",
    )
    parser.add_argument("--sync", action="store_true", help="sync application commands even if unchanged")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the requested command and return the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "keygen":
        return print_new_key()
    try:
        settings = Settings()
    except ValidationError as error:
        print(describe_validation_error(error), file=sys.stderr)  # noqa: T201
        return EXIT_USAGE
    setup_logging(settings.log_level, settings.log_format)
    if args.command == "check":
        return asyncio.run(run_offline_check(settings))
    if args.command == "rotate-key":
        return asyncio.run(run_rotate_key(settings, os.environ))
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        print(SETUP_INSTRUCTIONS, file=sys.stderr)  # noqa: T201
        return EXIT_USAGE
    try:
        asyncio.run(run_bot(create_bot(settings, force_sync=args.sync)))
    except MissingTokenError:
        print(SETUP_INSTRUCTIONS, file=sys.stderr)  # noqa: T201
        return EXIT_USAGE
    except ContentError as error:
        log.error("%s", error)
        return EXIT_USAGE
    except DataKeyError as error:
        print(error, file=sys.stderr)  # noqa: T201
        return EXIT_USAGE
    except KeyboardInterrupt:
        log.info("Stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
