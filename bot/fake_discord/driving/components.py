"""Using components as a user: clicking buttons, choosing in selects, and filling in modals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.fake_discord.driving.base import DriverBase
from bot.fake_discord.interactions import MESSAGE_COMPONENT, MODAL_SUBMIT, InteractionHandle
from bot.fake_discord.invocation import Resolver
from bot.fake_discord.models import JSON, SELECT_TYPES, Channel, Message, Role, User


class ComponentActions(DriverBase):
    """Clicks, selects and modal submits on the bot's messages, failing where a real client could not."""

    def _component_target(self, message: Message | int, custom_id: str, user: User) -> tuple[Message, JSON]:
        """Return (message, component) a user can interact with, or fail like the client would."""
        msg = self.world.messages.get(message) if isinstance(message, int) else message
        if msg is None or msg.deleted:
            raise AssertionError(f"message {message!r} does not exist (deleted?)")
        if msg.visible_to is not None and msg.visible_to != user.id:
            raise AssertionError(f"{user.username} cannot see ephemeral message {msg.id}")
        channel = self.world.channels[msg.channel_id]
        if self.world.is_private_channel(channel) and user.id not in channel.recipients:
            raise AssertionError(f"{user.username} is not in private channel {channel.id}")
        component = msg.find_component(custom_id)
        if component is None:
            raise AssertionError(
                f"message {msg.id} has no component {custom_id!r}; it has {msg.custom_ids()}"
            )
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} on message {msg.id} is disabled")
        return msg, component

    async def _fire_component(self, msg: Message, user: User, data: JSON, label: str) -> InteractionHandle:
        """Dispatch a component interaction from ``msg``."""
        channel = self.world.channels[msg.channel_id]
        return await self._interact(MESSAGE_COMPONENT, channel, user, data, label=label, message=msg)

    async def click_button(self, message: Message | int, custom_id: str, *, user: User) -> InteractionHandle:
        """Click a button on a message."""
        msg, component = self._component_target(message, custom_id, user)
        if component.get("type") != 2 or component.get("style") == 5:
            raise AssertionError(f"{custom_id!r} is not a clickable (non-link) button")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._fire_component(msg, user, data, custom_id)

    async def select(
        self, message: Message | int, custom_id: str, values: Sequence[Any], *, user: User
    ) -> InteractionHandle:
        """Choose ``values`` in a select menu (strings, or users/roles/channels for entity selects)."""
        msg, component = self._component_target(message, custom_id, user)
        kind = component.get("type")
        if kind not in SELECT_TYPES:
            raise AssertionError(f"{custom_id!r} is not a select menu")
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise AssertionError(f"{custom_id!r} takes {low}-{high} values, got {len(values)}")
        channel = self.world.channels[msg.channel_id]
        data: JSON = {"custom_id": custom_id, "component_type": kind}
        data["values"], resolved = self._select_values(component, values, channel, user)
        if resolved:
            data["resolved"] = resolved
        return await self._fire_component(msg, user, data, custom_id)

    def _select_values(
        self, component: JSON, values: Sequence[Any], channel: Channel, user: User
    ) -> tuple[list[str], dict[str, dict[str, JSON]]]:
        """Validate select values and build ``resolved`` for entity selects."""
        kind = component.get("type")
        if kind == 3:
            allowed = [o["value"] for o in component.get("options") or []]
            for value in values:
                if value not in allowed:
                    raise AssertionError(
                        f"{value!r} is not an option of {component.get('custom_id')!r}: {allowed}"
                    )
            return [str(v) for v in values], {}
        resolver = Resolver(self.world, channel)
        out: list[str] = []
        for value in values:
            if isinstance(value, User) and kind in (5, 7):
                out.append(resolver.user(value))
            elif isinstance(value, Role) and kind in (6, 7):
                out.append(resolver.role(value))
            elif isinstance(value, Channel) and kind == 8:
                out.append(resolver.channel_(value, user))
            else:
                raise AssertionError(f"{value!r} does not fit a select of type {kind}")
        return out, resolver.data

    async def submit_modal(
        self,
        opened_by: InteractionHandle,
        values: Mapping[str, str | bool | Sequence[str]],
        *,
        user: User | None = None,
    ) -> InteractionHandle:
        """Fill in and submit the modal that ``opened_by`` was answered with (type 9)."""
        modal = opened_by.modal
        if modal is None:
            raise AssertionError(f"{opened_by.record.describe()} did not open a modal")
        record = opened_by.record
        user = user or self.world.users[record.user_id]
        channel = self.world.channels[record.channel_id]
        known: set[str] = set()
        components = [self._modal_answer(top, values, known) for top in modal.get("components") or []]
        unknown = set(values) - known
        if unknown:
            raise AssertionError(f"modal {modal.get('custom_id')!r} has no fields {sorted(unknown)}")
        source = self.world.messages.get(record.source_message_id or 0)
        return await self.submit_modal_raw(channel, user, modal["custom_id"], components, message=source)

    def _modal_answer(self, top: JSON, values: Mapping[str, Any], known: set[str]) -> JSON:
        """Return the submitted form of one top-level modal component."""
        kind = top.get("type")
        if kind == 1:
            child = top["components"][0]
            return _with_id(top, {"type": 1, "components": [self._modal_field(child, values, known)]})
        if kind == 18:
            return _with_id(
                top, {"type": 18, "component": self._modal_field(top["component"], values, known)}
            )
        return _with_id(top, {"type": kind})

    def _modal_field(self, item: JSON, values: Mapping[str, Any], known: set[str]) -> JSON:
        """Return one answered field, enforcing required/min/max like Discord's client."""
        custom_id = item["custom_id"]
        known.add(custom_id)
        kind = item["type"]
        if kind == 4:
            value = str(values.get(custom_id, item.get("value") or ""))
            required = item.get("required", True)
            if required and not value:
                raise AssertionError(f"text input {custom_id!r} is required")
            if value and len(value) < (item.get("min_length") or 0):
                raise AssertionError(f"text input {custom_id!r} is shorter than {item['min_length']}")
            if len(value) > (item.get("max_length") or 4000):
                raise AssertionError(
                    f"text input {custom_id!r} is longer than {item.get('max_length') or 4000}"
                )
            return _with_id(item, {"type": 4, "custom_id": custom_id, "value": value})
        required = item.get("required", True)
        if kind == 21:
            picked = values.get(custom_id)
            allowed = [o["value"] for o in item.get("options") or []]
            if picked is None and required:
                raise AssertionError(f"radio group {custom_id!r} is required")
            if picked is not None and picked not in allowed:
                raise AssertionError(f"{picked!r} is not an option of radio group {custom_id!r}: {allowed}")
            return _with_id(item, {"type": kind, "custom_id": custom_id, "value": picked})
        if kind == 23:
            return _with_id(
                item, {"type": kind, "custom_id": custom_id, "value": bool(values.get(custom_id))}
            )
        chosen = [str(v) for v in values.get(custom_id, [])]
        if kind in (3, 22):
            allowed = [o["value"] for o in item.get("options") or []]
            unknown = [v for v in chosen if v not in allowed]
            if unknown:
                raise AssertionError(f"{unknown} are not options of {custom_id!r}: {allowed}")
            low = item.get("min_values", 1 if required else 0)
            high = item.get("max_values", len(allowed) if kind == 22 else 1)
            if (chosen or required) and not low <= len(chosen) <= high:
                raise AssertionError(f"{custom_id!r} takes {low}-{high} values, got {len(chosen)}")
        return _with_id(item, {"type": kind, "custom_id": custom_id, "values": chosen})

    async def submit_modal_raw(
        self,
        channel: Channel,
        user: User,
        custom_id: str,
        components: list[JSON],
        *,
        message: Message | None = None,
    ) -> InteractionHandle:
        """Submit a modal with hand-built components (for modals not opened through the driver)."""
        data: JSON = {"custom_id": custom_id, "components": components}
        return await self._interact(MODAL_SUBMIT, channel, user, data, label=custom_id, message=message)


def _with_id(source: JSON, data: JSON) -> JSON:
    """Copy the numeric component ``id`` Discord echoes back, when the app set one."""
    if source.get("id") is not None:
        data["id"] = source["id"]
    return data
