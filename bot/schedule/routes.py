"""Which handler delivers each schedule kind: the part of the engine that features talk to.

The bot owns one :class:`ScheduleRoutes` from construction on (``HearthBot.schedule_routes``), so a
cog registers its kinds in ``cog_load`` whether or not the engine that reads the table has been
built yet; the engine, built once storage is open, delivers through the same table.
"""

from __future__ import annotations

from bot.schedule.occurrences import Handler
from bot.schedule.shards import UNSHARDED_CLAIMANT, ShardScope


class ScheduleRoutes:
    """The handler of each schedule kind, and which kinds act in one server."""

    def __init__(self, shards: ShardScope | None = None) -> None:
        self._handlers: dict[str, Handler] = {}
        self._guild_bound: set[str] = set()
        self._claimant = UNSHARDED_CLAIMANT if shards is None else shards.claimant

    @property
    def claimant(self) -> str:
        """Return the name this process's claims carry (for features that claim by hand)."""
        return self._claimant

    @property
    def guild_bound_kinds(self) -> frozenset[str]:
        """Return the kinds only the process running the server's shard may claim."""
        return frozenset(self._guild_bound)

    def register(self, kind: str, handler: Handler, *, guild_bound: bool = False) -> None:
        """Route occurrences of schedules of ``kind`` to ``handler``.

        ``guild_bound`` kinds act in their server (post in its channels, read its members): with
        shards, only the process running that server's shard claims them. Other kinds (DMs to one
        person, housekeeping) go to whichever process claims them first.
        """
        if kind in self._handlers:
            raise ValueError(f"a handler for schedule kind {kind!r} is already registered")
        self._handlers[str(kind)] = handler
        if guild_bound:
            self._guild_bound.add(str(kind))

    def unregister(self, kind: str) -> None:
        """Stop routing ``kind`` (e.g. when its cog unloads); its due rows get paused as 'no handler'."""
        self._handlers.pop(kind, None)
        self._guild_bound.discard(kind)

    def handler_for(self, kind: str) -> Handler | None:
        """Return the handler of ``kind``, or None if no feature took it."""
        return self._handlers.get(kind)
