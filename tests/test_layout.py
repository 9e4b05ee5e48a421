"""Where things sit: cogs reach storage only through services, imports form no circle, modules stay small."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "cogs")
# "No module over ~400 lines": a little slack, so a docstring doesn't fail the build, but no more.
MAX_MODULE_LINES = 420
# Storage proper; bot.db.timestamps is plain time arithmetic that cogs may use (custom ids carry times).
STORAGE = ("bot.db.repos", "bot.db.database", "bot.db.connect", "bot.db.sqlite", "bot.db.postgres")


def modules() -> dict[str, Path]:
    """Return every module of bot/ and cogs/ by its dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported_names(path: Path) -> Iterator[str]:
    """Yield every absolute module name ``path`` imports, those under TYPE_CHECKING included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    """Return which of our modules each of our modules imports."""
    known = modules()
    return {
        name: {target for target in imported_names(path) if target in known and target != name}
        for name, path in known.items()
    }


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the import circles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_cog_imports_storage() -> None:
    """Cogs call services; no cog imports a repository or the database."""
    offenders = {
        name: sorted(target for target in imported_names(path) if target.startswith(STORAGE))
        for name, path in modules().items()
        if name.startswith("cogs")
    }
    assert {name: targets for name, targets in offenders.items() if targets} == {}


def test_bot_and_cogs_have_no_import_circle() -> None:
    """No module imports itself through others, not even for type checking."""
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    """The check above would see a circle: a → b → c → a, beside d alone."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_no_module_is_much_over_400_lines() -> None:
    """Large modules split along their own seams."""
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    assert {name: size for name, size in sizes.items() if size > MAX_MODULE_LINES} == {}
