"""The storage interface every repository uses, whichever database is behind it.

Repositories write portable SQL with ``?`` or ``:name`` placeholders; each
backend runs it on its own engine: SQLite (the embedded default, see
:mod:`bot.db.sqlite`) or PostgreSQL (several bot processes on one database,
see :mod:`bot.db.postgres`). Never await Discord inside a transaction.

A repository function takes ``db: Database | Transaction``: given the
database it runs in a transaction of its own; given a transaction (a unit of
work a service opened with ``async with db.transaction() as tx``) it runs in
that one, so everything one user action writes commits together or not at all.
Inside a unit of work, every statement goes through ``tx``: a plain read on the
database would wait for the transaction's own lock.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Literal, Protocol

Params = Sequence[Any] | dict[str, Any]
Dialect = Literal["sqlite", "postgresql"]

SQLITE_PREFIX = "sqlite:///"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


class DatabaseError(Exception):
    """A statement failed; the message never quotes the values it was given (they may be private)."""


class IntegrityError(DatabaseError):
    """A statement broke a constraint (unique key, CHECK, foreign key), on either backend."""


class Row(Protocol):
    """A result row: columns by name (both backends' rows also index by position)."""

    def __getitem__(self, key: str, /) -> Any:
        """Return the value of column ``key``."""

    def keys(self) -> Iterable[str]:
        """Return the column names."""


def dialect_of(url: str) -> Dialect:
    """Return which backend ``url`` names, refusing anything else with an example."""
    if url.startswith(POSTGRES_PREFIXES):
        return "postgresql"
    sqlite_path_from_url(url)
    return "sqlite"


def sqlite_path_from_url(url: str) -> str:
    """Return the file path (or ``:memory:``) named by a ``sqlite:///`` URL."""
    if not url.startswith(SQLITE_PREFIX):
        raise ValueError(
            "must be sqlite:///path (e.g. sqlite:///data/hearth.db) or postgresql://user@host/dbname"
        )
    path = url.removeprefix(SQLITE_PREFIX)
    if not path:
        raise ValueError("the sqlite URL names no file, e.g. sqlite:///data/hearth.db")
    return path


def redact_url(url: str) -> str:
    """Return ``url`` without its password, for logs."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


class Transaction(ABC):
    """Statements run inside one open transaction; only valid within ``Database.transaction``."""

    # Appended to a SELECT of rows this transaction is about to claim: where several processes share
    # the database, it locks them and skips the ones another process has locked.
    lock_due_rows = ""

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter set."""

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query."""


class Database(ABC):
    """The bot's database: short transactions, and plain reads outside them."""

    dialect: Dialect
    url: str

    @abstractmethod
    async def close(self) -> None:
        """Close every connection."""

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Open one transaction, committed on success and rolled back on error."""

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query."""

    @abstractmethod
    async def run_script(self, script: str) -> None:
        """Run a multi-statement script atomically: all of it or none of it."""

    @abstractmethod
    def migration_lock(self) -> AbstractAsyncContextManager[None]:
        """Hold the lock that lets only one process migrate the schema at a time."""

    async def forget_overwritten(self) -> None:  # noqa: B027 - most backends keep no such copies
        """Drop older copies of rows just rewritten (e.g. encrypted in place) from the database's files."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement in its own transaction and return the rows it changed."""
        async with self.transaction() as tx:
            return await tx.execute(sql, params)


def atomic(db: Database | Transaction) -> AbstractAsyncContextManager[Transaction]:
    """Return a new transaction on a database, or the caller's open one (which commits when it ends)."""
    if isinstance(db, Transaction):
        return _joined(db)
    return db.transaction()


@asynccontextmanager
async def _joined(tx: Transaction) -> AsyncIterator[Transaction]:
    """Run inside the caller's transaction: nothing to commit or roll back here."""
    yield tx
