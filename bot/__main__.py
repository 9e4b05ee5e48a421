"""`hearth` (or `python -m bot`): run Hearth, check it offline, manage its data key, or play the demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import traceback

from pydantic import ValidationError

from bot.app import MissingTokenError, create_bot, run_bot
from bot.failures import EXIT_OK, EXIT_SETTINGS, explain
from bot.log import setup_logging
from bot.offline_check import run_offline_check
from bot.privacy.cli import print_new_key, run_rotate_key
from bot.settings import Settings, describe_validation_error

log = logging.getLogger("bot")

COMMANDS = ("run", "check", "keygen", "rotate-key", "demo")

SETUP_INSTRUCTIONS = """\
Hearth needs a bot token to connect to Discord, and none is set.
To see Hearth work without one, run `hearth demo` (a fake Discord on this machine).

1. Open https://discord.com/developers/applications and choose "New Application".
2. Under "Bot", press "Reset Token" and copy the token.
3. Put it in a file named .env in the folder you start Hearth from:  DISCORD_TOKEN=your-token
   (copy .env.example to .env to start from every setting).
4. Invite the bot: under "OAuth2" > "URL Generator" tick the scopes "bot" and
   "applications.commands" and the permissions listed in the README, or use the
   invite URL the bot logs at start-up.
5. Run `make run` (or `hearth run`) again."""


def _complain(text: str) -> None:
    print(text, file=sys.stderr)  # noqa: T201


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="hearth", description="Run the Hearth Discord bot.")
    parser.add_argument(
        "command",
        nargs="?",
        choices=COMMANDS,
        default="run",
        help="run the bot (default); check settings, content, database and encryption offline; print a new"
        " data key (keygen); re-encrypt private text under HEARTH_NEW_DATA_KEY (rotate-key); or play a"
        " scripted tour against a fake Discord on 127.0.0.1, with no token and no network (demo)",
    )
    parser.add_argument("--sync", action="store_true", help="sync application commands even if unchanged")
    parser.add_argument(
        "--debug", action="store_true", help="print the traceback of a failure, and DEBUG logs"
    )
    return parser.parse_args(argv)


def _run(args: argparse.Namespace) -> int:
    """Run the chosen command; known failures propagate to :func:`main`."""
    if args.command == "keygen":
        return print_new_key()
    if args.command == "demo":
        from bot.demo.tour import run_demo

        setup_logging("DEBUG" if args.debug else "ERROR")
        return asyncio.run(run_demo())
    try:
        settings = Settings()
    except ValidationError as error:
        _complain(describe_validation_error(error))
        return EXIT_SETTINGS
    if args.command == "check":
        # The report is the output: only warnings and errors may join it.
        setup_logging("DEBUG" if args.debug else "WARNING")
        return asyncio.run(run_offline_check(settings))
    setup_logging("DEBUG" if args.debug else settings.log_level, settings.log_format)
    if args.command == "rotate-key":
        return asyncio.run(run_rotate_key(settings, os.environ))
    if settings.discord_token is None:
        _complain(SETUP_INSTRUCTIONS)
        return EXIT_SETTINGS
    try:
        asyncio.run(run_bot(create_bot(settings, force_sync=args.sync)))
    except MissingTokenError:
        _complain(SETUP_INSTRUCTIONS)
        return EXIT_SETTINGS
    except KeyboardInterrupt:
        log.info("Stopped")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the requested command and return the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args)
    except Exception as error:
        explained = explain(error)
        if explained is None:
            raise
        message, code = explained
        if args.debug:
            traceback.print_exception(error)
        _complain(message)
        return code


def entry_point() -> None:
    """Run the `hearth` console script."""
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
