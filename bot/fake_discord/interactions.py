"""Interactions: what the fake records of each one and how a test reads the bot's answers."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from bot.fake_discord.messages import UploadedFile
from bot.fake_discord.models import FLAG_EPHEMERAL, JSON, Message
from bot.fake_discord.world import World

RESPONSE_DEADLINE = 3.0
TOKEN_LIFETIME = 15 * 60.0

PING = 1
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

CALLBACK_NAMES = {
    1: "PONG",
    4: "CHANNEL_MESSAGE_WITH_SOURCE",
    5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    6: "DEFERRED_UPDATE_MESSAGE",
    7: "UPDATE_MESSAGE",
    8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    9: "MODAL",
}
ALLOWED_CALLBACKS = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


class SentData:
    """Read access to what the bot sent in a callback or webhook call (``data`` as posted)."""

    data: JSON

    @property
    def flags(self) -> int:
        """Return the message flags sent (64 = ephemeral)."""
        return int(self.data.get("flags") or 0)

    @property
    def content(self) -> str | None:
        """Return the content sent, if any."""
        return self.data.get("content")

    @property
    def embeds(self) -> list[JSON]:
        """Return the embeds sent, if any."""
        return list(self.data.get("embeds") or [])


@dataclass
class CallbackAttempt:
    """One POST to /interactions/{id}/{token}/callback and how the fake answered it."""

    type: int
    data: JSON
    files: list[UploadedFile]
    elapsed: float
    status: int
    error_code: int | None = None

    @property
    def accepted(self) -> bool:
        """Return True if this became the interaction's initial response."""
        return self.status < 300


@dataclass
class InitialResponse(SentData):
    """The accepted initial response: type, data and flags, for assertions."""

    type: int
    data: JSON
    elapsed: float
    files: list[UploadedFile] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        """Return True for an ephemeral response (or an ephemeral defer)."""
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def components(self) -> list[JSON]:
        """Return the components, if any."""
        return list(self.data.get("components") or [])

    @property
    def allowed_mentions(self) -> JSON | None:
        """Return allowed_mentions as sent."""
        return self.data.get("allowed_mentions")

    @property
    def type_name(self) -> str:
        """Return the callback type's name."""
        return CALLBACK_NAMES.get(self.type, str(self.type))


@dataclass
class WebhookCall(SentData):
    """A followup, edit or delete made with the interaction token."""

    kind: str
    message_id: int | None
    data: JSON
    files: list[UploadedFile]
    elapsed: float


@dataclass(eq=False, kw_only=True)
class InteractionRecord:
    """Everything the fake knows about one interaction."""

    id: int
    type: int
    label: str
    payload: JSON
    channel_id: int
    guild_id: int | None
    user_id: int
    source_message_id: int | None = None
    command_type: int | None = None
    created: float = field(default_factory=time.monotonic)
    attempts: list[CallbackAttempt] = field(default_factory=list)
    initial: CallbackAttempt | None = None
    calls: list[WebhookCall] = field(default_factory=list)
    original_message_id: int | None = None
    followup_message_ids: list[int] = field(default_factory=list)
    loading: bool = False
    expect_unanswered: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    token: str = field(init=False)

    def __post_init__(self) -> None:
        self.token = str(self.payload["token"])

    def elapsed(self) -> float:
        """Return seconds since the interaction was created."""
        return time.monotonic() - self.created

    def describe(self) -> str:
        """Return a one-line description for failure messages."""
        kinds = {1: "ping", 2: "command", 3: "component", 4: "autocomplete", 5: "modal submit"}
        return f"{kinds.get(self.type, self.type)} {self.label!r} (interaction {self.id})"

    def notify(self) -> None:
        """Wake anyone waiting for a change."""
        self.changed.set()
        self.changed = asyncio.Event()


class InteractionHandle:
    """What a test holds after invoking something: the initial response, followups and edits."""

    def __init__(self, record: InteractionRecord, world: World) -> None:
        self._record = record
        self._world = world

    @property
    def id(self) -> int:
        """Return the interaction id."""
        return self._record.id

    @property
    def token(self) -> str:
        """Return the interaction token."""
        return self._record.token

    @property
    def payload(self) -> JSON:
        """Return the INTERACTION_CREATE data that was dispatched."""
        return self._record.payload

    @property
    def record(self) -> InteractionRecord:
        """Return the underlying record."""
        return self._record

    @property
    def attempts(self) -> list[CallbackAttempt]:
        """Return every callback POST, including rejected ones."""
        return list(self._record.attempts)

    @property
    def followups(self) -> list[WebhookCall]:
        """Return the followup messages sent so far."""
        return [c for c in self._record.calls if c.kind == "followup"]

    @property
    def edits(self) -> list[WebhookCall]:
        """Return the edits (of @original or followups) made so far."""
        return [c for c in self._record.calls if c.kind == "edit"]

    @property
    def deletes(self) -> list[WebhookCall]:
        """Return the deletes made so far."""
        return [c for c in self._record.calls if c.kind == "delete"]

    def expire_token(self) -> None:
        """Pretend the 15-minute token lifetime has passed: webhook calls now get 401 50027."""
        self._record.created -= TOKEN_LIFETIME + 1

    def expect_no_response(self) -> None:
        """Declare that this interaction is meant to go unanswered (no teardown failure)."""
        self._record.expect_unanswered = True

    async def response(self, timeout: float = RESPONSE_DEADLINE) -> InitialResponse:
        """Return the initial response; fail the test if none came within ``timeout`` s of the invoke."""
        record = self._record
        while record.initial is None:
            remaining = record.created + timeout - time.monotonic()
            if remaining <= 0:
                break
            waiter = record.changed
            try:
                await asyncio.wait_for(waiter.wait(), remaining)
            except TimeoutError:
                break
        if record.initial is None:
            tried = ", ".join(
                f"type {a.type} -> HTTP {a.status} code {a.error_code}" for a in record.attempts
            )
            raise AssertionError(
                f"{record.describe()} got no initial response within {timeout:.1f} s "
                f"(Discord allows {RESPONSE_DEADLINE:.0f} s; R-INT-1). Callback attempts: {tried or 'none'}"
            )
        initial = record.initial
        return InitialResponse(initial.type, initial.data, initial.elapsed, initial.files)

    async def wait_for_followups(
        self, count: int = 1, timeout: float = RESPONSE_DEADLINE
    ) -> list[WebhookCall]:
        """Wait until at least ``count`` followups were sent, then return them all."""
        await self._wait(lambda: len(self.followups) >= count, timeout, f"{count} followup(s)")
        return self.followups

    async def wait_for_edits(self, count: int = 1, timeout: float = RESPONSE_DEADLINE) -> list[WebhookCall]:
        """Wait until at least ``count`` edits were made, then return them all."""
        await self._wait(lambda: len(self.edits) >= count, timeout, f"{count} edit(s)")
        return self.edits

    async def _wait(self, predicate: Any, timeout: float, what: str) -> None:
        """Wait for ``predicate`` or fail with a clear message."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{self._record.describe()}: expected {what} within {timeout:.1f} s")
            try:
                await asyncio.wait_for(self._record.changed.wait(), remaining)
            except TimeoutError:
                continue

    def original_message(self) -> Message | None:
        """Return the message the initial response created or updated (None for modals/autocomplete)."""
        mid = self._record.original_message_id
        return None if mid is None else self._world.messages.get(mid)

    def followup_messages(self) -> list[Message]:
        """Return the stored messages created by followups."""
        return [self._world.messages[m] for m in self._record.followup_message_ids]

    @property
    def modal(self) -> JSON | None:
        """Return the modal's data if the initial response opened one."""
        initial = self._record.initial
        return initial.data if initial is not None and initial.type == 9 else None

    @property
    def choices(self) -> list[JSON] | None:
        """Return autocomplete choices if this was answered with type 8."""
        initial = self._record.initial
        return list(initial.data.get("choices") or []) if initial is not None and initial.type == 8 else None
