"""Migration 0014 lets reminders and repairs live outside servers without losing a row, an id or a cascade."""

from bot.db.connect import connect_database
from bot.db.migrate import discover_migrations, migrate, migrations_dir


async def test_reminders_and_repairs_keep_rows_ids_and_counters(empty_database_url: str) -> None:
    """Rows made before 0014 survive it; new ids never reuse a deleted row's id; nudges still cascade."""
    db = await connect_database(empty_database_url)
    migrations = discover_migrations(migrations_dir(db.dialect))
    before = [m for m in migrations if m.version < 14]
    try:
        await migrate(db, before)
        for _ in range(3):
            await db.execute(
                "INSERT INTO appreciation_reminders (user_id, guild_id, target_id, target_name, created_at)"
                " VALUES (10, 20, 30, 'Sam', 0)"
            )
        await db.execute(
            "INSERT INTO appreciation_nudges (reminder_id, occurrence_key, idea_id, sent_at)"
            " VALUES (2, 'k', 'idea', 0)"
        )
        await db.execute("DELETE FROM appreciation_reminders WHERE id = 3")
        await db.execute(
            "INSERT INTO repair_requests (initiator_id, recipient_id, guild_id, created_at)"
            " VALUES (10, 30, 20, 0)"
        )
        await migrate(db, migrations)

        await db.execute(
            "INSERT INTO appreciation_reminders (user_id, guild_id, target_id, target_name, created_at)"
            " VALUES (10, NULL, 30, 'Sam', 0)"
        )
        ids = [
            int(row["id"]) for row in await db.fetch_all("SELECT id FROM appreciation_reminders ORDER BY id")
        ]
        assert ids[:2] == [1, 2]
        assert ids[2] > 3, "a deleted reminder's id came back"
        await db.execute(
            "INSERT INTO repair_requests (initiator_id, recipient_id, guild_id, created_at)"
            " VALUES (10, 30, NULL, 0)"
        )
        repairs = await db.fetch_all("SELECT guild_id FROM repair_requests ORDER BY id")
        assert [row["guild_id"] for row in repairs] == [20, None]

        await db.execute("DELETE FROM appreciation_reminders WHERE id = 2")
        assert await db.fetch_all("SELECT id FROM appreciation_nudges") == []
    finally:
        await db.close()
