"""Logging set-up for the bot process."""

from __future__ import annotations

import logging


def setup_logging(level: str = "INFO") -> None:
    """Send log records to stderr in one readable format."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[{asctime}] [{levelname}] {name}: {message}", style="{"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # discord.py's DEBUG is the raw gateway traffic: INFO at most, and quieter when asked to be.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelNamesMapping()[level]))
    logging.getLogger("discord.http").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG, aiosqlite logs every statement with its parameters, which include private text.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
