"""``python -m bench``: run every benchmark, each in a fresh process, and print one table.

Each benchmark starts the real bot (``create_bot`` + ``run_bot``) against the
fake Discord in rate-limit mode (50 requests/s globally, 5 messages per 5 s
per channel) on 127.0.0.1, and prints its figures with the conditions they
were measured under. ``--phase NAME`` runs one benchmark in this process and
prints its section as JSON (what the parent collects).

``--backend`` picks the database: SQLite files (the default), PostgreSQL (a
fresh database per benchmark on the ``--postgres`` server), or both, one
after the other, with a side-by-side table of the figures at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import (
    BACKEND_TITLES,
    BACKENDS,
    CHANNEL_MESSAGES,
    GLOBAL_LIMIT,
    POSTGRES_URL_VARIABLE,
    BackendName,
    BenchDatabase,
    bench_database,
    machine,
)
from bench.processes import ScenarioResult as ProcessesResult

# The fan-out floor: every request but the first waits for its slot.
PACER_BURST = 1

PHASES = ("fanout", "interactions", "scheduler", "database")
# Besides the big burst, a small one shows the latency when the bot isn't queueing.
SMALL_BURST = 50


@dataclass
class Section:
    """One benchmark's figures: (figure, measured, target, verdict) rows plus their conditions."""

    title: str
    conditions: list[str]
    rows: list[list[str]] = field(default_factory=list)
    phase: str = ""
    backend: BackendName = "sqlite"

    def add(self, figure: str, measured: str, target: str = "", met: bool | None = None) -> None:
        """Add one figure, with its target and whether it was met (None: no target)."""
        verdict = "" if met is None else ("met" if met else "MISSED")
        self.rows.append([figure, measured, target, verdict])


def _load_note() -> str:
    """Return the load averages right now, for the conditions."""
    return f"load average {machine().load} (1 / 5 / 15 min) at the end"


async def _fanout(args: argparse.Namespace, database: BenchDatabase) -> Section:
    """Run the fan-out benchmark."""
    from bench.fanout import run_fanout

    result = await run_fanout(args.servers, database.url, send_rate=args.send_rate)
    section = Section(
        f"fan-out: {result.servers:,} servers with daily prompts due at 09:00 UTC",
        [
            f"pacer SCHEDULED_SEND_RATE {result.send_rate:g}/s, engine max_concurrency 16, one message"
            " per prompt (threads off)",
            f"world built straight into the fake; configs seeded through the repositories in"
            f" {result.seed_seconds:.1f} s; bot ready with {result.servers:,} GUILD_CREATEs in"
            f" {result.ready_seconds:.1f} s",
            f"{result.ticks} tick(s) of the real schedule engine, driven by a ManualClock",
            _load_note(),
        ],
    )
    share = result.share_of_limit
    section.add(
        "requests/s achieved ÷ global limit, whole fan-out",
        f"{result.requests_per_second:.1f}/s ÷ {GLOBAL_LIMIT} = {share:.1%}",
        "≥ 90 %",
        share >= 0.9,
    )
    steady = result.steady_rate / GLOBAL_LIMIT
    section.add(
        "  same, first → last request (no claim/bookkeeping)",
        f"{result.steady_rate:.1f}/s ÷ {GLOBAL_LIMIT} = {steady:.1%}",
        "≥ 90 %",
        steady >= 0.9,
    )
    section.add("most requests in any 1 s", str(result.busiest_second), f"≤ {GLOBAL_LIMIT}")
    section.add("429s received", str(result.rate_limit_hits), "0", result.rate_limit_hits == 0)
    if result.probes:
        probes = sorted(result.probes)
        section.add(
            f"/help during the fan-out (asked {len(probes)}×, once a second)",
            f"median {probes[len(probes) // 2] * 1000:.0f} ms, max {probes[-1] * 1000:.0f} ms",
            "not delayed behind the fan-out",
        )
    section.add("prompts lost", str(result.lost), "0", result.lost == 0)
    section.add(
        "prompts duplicated",
        f"{result.duplicated} (nonce replays absorbed: {result.nonce_duplicates})",
        "0",
        result.duplicated == 0,
    )
    if result.arrivals:
        section.add(
            "first request after / last request before the end",
            f"{(result.arrivals[0] - result.started) * 1000:.0f} ms / "
            f"{(result.finished - result.arrivals[-1]) * 1000:.0f} ms",
        )
    section.add(
        "total time (first claim → last delivery)",
        f"{result.seconds:.1f} s for {result.requests:,} requests",
        f"floor {max(result.servers - PACER_BURST, 0) / result.send_rate:.0f} s at {result.send_rate:g}/s",
    )
    return section


async def _interactions(args: argparse.Namespace, database: BenchDatabase) -> Section:
    """Run the interaction latency benchmark: a small burst, then the big one."""
    from bench.interactions import run_interactions

    bursts = sorted({min(SMALL_BURST, args.interactions), args.interactions})
    results = await run_interactions(bursts, database.url)
    section = Section(
        f"interactions: bursts of {' and '.join(str(r.count) for r in results)} {results[0].what}"
        " arriving together",
        [
            "time from INTERACTION_CREATE (the fake creating the event) to the bot's initial callback,"
            " as recorded by the fake; bursts one after the other on the same bot",
            "bot and fake share one process and one event loop (the fake's work is included)",
            _load_note(),
        ],
    )
    for result in results:
        p99 = result.percentile(0.99)
        burst = f"burst of {result.count}:"
        section.add(f"{burst} answered", f"{result.answered} / {result.count}", str(result.count))
        section.add(f"{burst} p50", f"{result.median * 1000:.0f} ms")
        section.add(f"{burst} p99", f"{p99 * 1000:.0f} ms", "≤ 100 ms", p99 <= 0.1)
        section.add(f"{burst} max", f"{result.worst * 1000:.0f} ms", "< 3 s (Discord)", result.worst < 3)
    return section


async def _scheduler(args: argparse.Namespace, database: BenchDatabase) -> Section:
    """Run the scheduler benchmark."""
    from bench.scheduler import SEED_BATCH, run_scheduler

    result = await run_scheduler(args.schedules, database.url)
    how = (
        f"the {result.batch} real servers through the repositories, the others {SEED_BATCH:,} rows per"
        " transaction (Transaction.execute_many),"
        if result.batched_seed
        else "through the repositories"
    )
    section = Section(
        f"scheduler: {result.schedules:,} active daily schedules, spread over the day's minutes",
        [
            f"seeded {how} in a child process in {result.seed_seconds:.1f} s;"
            f" {result.batch} of them (one minute's worth) belong to servers in the fake",
            f"RSS is this whole process: bot plus the fake Discord and its {result.batch} servers;"
            f" {result.baseline_rss_mb:.0f} MB before the bot started",
            f"typical tick: the {result.batch} prompts of one minute, paced at {result.send_rate:g}/s",
            _load_note(),
        ],
    )
    section.add("start-up to ready", f"{result.ready_seconds:.2f} s", "≤ 3 s", result.ready_seconds <= 3)
    section.add(
        "resident memory after start-up",
        f"{result.ready_rss_mb:.0f} MB (bot's share {result.ready_rss_mb - result.baseline_rss_mb:.0f} MB)",
        "≤ 200 MB",
        result.ready_rss_mb <= 200,
    )
    section.add("resident memory after the ticks", f"{result.after_ticks_rss_mb:.0f} MB", "≤ 200 MB")
    section.add(
        "tick, nothing due (median / max of 20)",
        f"{result.empty_tick_median_ms:.1f} / {result.empty_tick_max_ms:.1f} ms",
        "≤ 100 ms",
        result.empty_tick_max_ms <= 100,
    )
    section.add(
        f"tick, {result.batch} due: claiming",
        f"{result.batch_claim_ms:.1f} ms",
        "≤ 100 ms",
        result.batch_claim_ms <= 100,
    )
    report = result.batch_report
    section.add(
        f"tick, {result.batch} due: claim + paced delivery",
        f"{result.batch_tick_seconds:.2f} s ({report.sent} sent, {report.failed} failed)",
        f"floor {max(result.batch - PACER_BURST, 0) / result.send_rate:.2f} s (pacer)",
    )
    return section


async def _database(args: argparse.Namespace, database: BenchDatabase) -> Section:
    """Run the database write benchmark."""
    from bench.database import run_database

    result = await run_database(args.writes, database.url)
    connection = (
        "the bot's one aiosqlite connection (WAL, synchronous=NORMAL)"
        if database.backend == "sqlite"
        else "the bot's asyncpg pool (transactions one at a time within the process, as on SQLite)"
    )
    section = Section(
        f"database: {result.writes:,} {result.what}",
        [
            f"{connection}, one transaction per record,"
            " all writers started together, called on the running bot without Discord round trips",
            f"HEARTH_DATA_KEY {'set: notes encrypted' if result.encrypted else 'not set'}",
            _load_note(),
        ],
    )
    section.add("written per second", f"{result.per_second:,.0f}/s ({result.seconds:.2f} s)")
    return section


def _processes_section(result: ProcessesResult, send_rate: float) -> Section:
    """Return one multi-process scenario as a table: one row per figure, a column per process."""
    from bench.processes import APART_SECONDS

    how = {
        "together": "all processes started at the same moment",
        "apart": f"process 1 started {APART_SECONDS:g} s after process 0",
        "sigkill": "started together; process 0 SIGKILLed a third of the way into its fan-out and restarted",
    }[result.scenario]
    section = Section(
        f"{len(result.processes)} processes ({how}): {result.servers:,} servers due at the same instant",
        [
            f"SCHEDULED_SEND_RATE {send_rate:g}/s for the token, each process its shards' share;"
            f" seeded in {result.seed_seconds:.1f} s; fan-out {result.fanout_seconds:.1f} s from the due time"
            " to the last post",
            "on time: first post within 5 min of the due time; rate: counted requests between a process's"
            " first and last post",
            _load_note(),
        ],
        [["figure", *[f.name for f in result.processes], "total", "target"]],
    )
    every = [*result.processes, result.total]

    def row(label: str, values: list[str], target: str = "") -> None:
        section.rows.append([label, *values, target])

    row("servers", [f"{f.servers:,}" for f in every])
    row("posted on time", [f"{f.on_time:,}" for f in every])
    row("posted late", [str(f.late) for f in every], "0")
    row("lost", [str(f.lost) for f in every], "0")
    row("duplicated", [str(f.duplicated) for f in every], "0")
    row("requests in the fan-out", [f"{f.requests:,}" for f in every])
    # A sliding second can hold more than one fixed window of Discord's limit allows; whether the
    # limit itself was kept shows in the global 429s.
    row("busiest sliding second (requests)", [str(f.busiest_second) for f in every], "see global 429s")
    row(
        "  the total's began (s after the due time)",
        [*[""] * len(result.processes), f"{result.busiest_after_due:+.1f}"],
    )
    row(
        "rate ÷ 50/s",
        [f"{f.rate:.1f}/s = {f.share:.1%}" for f in every],
        "total ≥ 90 %",
    )
    blank = [""] * len(result.processes)
    row("global 429s", [*blank, str(result.global_429s)], "0")
    for route, count in sorted(result.route_429s.items()):
        row(f"429s {route}", [*blank, str(count)])
    if not result.route_429s:
        row("429s per route", [*blank, "0"])
    for bucket, gaps in sorted(result.identify_gaps.items()):
        spacing = ", ".join(f"{gap:.2f}" for gap in gaps) or "one IDENTIFY"
        row(f"IDENTIFY spacing, bucket {bucket} (s)", [*blank, spacing], "≥ 5 s")
    row("IDENTIFYs refused (too soon)", [*blank, str(result.identifies_refused)], "0")
    if result.killed_after_posts is not None:
        row("posts of process 0 before the SIGKILL", [str(result.killed_after_posts), *blank[1:], ""])
        row("claims recovered after the restart", [str(result.recovered_claims), *blank[1:], ""])
    return section


async def _run_processes(args: argparse.Namespace) -> list[Section]:
    """Run the multi-process scenarios, each on a fresh database, and return their sections."""
    from bench.processes import SCENARIOS, run_scenario
    from bot.settings import Settings

    send_rate = args.send_rate or Settings.model_fields["scheduled_send_rate"].default
    sections = []
    for scenario in args.scenario or SCENARIOS:
        with tempfile.TemporaryDirectory(prefix="hearth-bench-") as workdir:
            async with bench_database(
                args.backend, f"processes_{scenario}", Path(workdir), args.postgres
            ) as db:
                result = await run_scenario(
                    scenario,
                    servers=args.servers,
                    processes=args.processes,
                    database_url=db.url,
                    workdir=Path(args.logs or workdir),
                    send_rate=args.send_rate,
                )
        section = _processes_section(result, send_rate)
        section.conditions.insert(0, f"database: {db.described}")
        _print_section(section)
        # Each scenario takes minutes: show its table as soon as it is measured.
        sys.stdout.flush()
        sections.append(section)
    return sections


RUNNERS = {"fanout": _fanout, "interactions": _interactions, "scheduler": _scheduler, "database": _database}


def _comparable(figure: str) -> str:
    """Return a figure's label without its numbers, to pair the same figure across backends."""
    return re.sub(r"\d[\d,.]*", "#", figure)


def _side_by_side(sections: list[Section]) -> Section | None:
    """Return every figure measured on both backends in one table: SQLite, then PostgreSQL."""
    found = {(s.backend, s.phase): s for s in sections}
    compared = Section("side by side (the figures above)", [], [["figure", "SQLite", "PostgreSQL", "target"]])
    for phase in PHASES:
        sqlite, postgres = found.get(("sqlite", phase)), found.get(("postgresql", phase))
        if sqlite is None or postgres is None:
            continue
        # Figures whose labels differ only in numbers pair up in order (burst of 50, then of 500).
        on_postgres: dict[str, list[list[str]]] = {}
        for row in postgres.rows:
            on_postgres.setdefault(_comparable(row[0]), []).append(row)
        compared.rows.append([f"{phase}:", "", "", ""])
        for figure, measured, target, verdict in sqlite.rows:
            same = on_postgres.get(_comparable(figure))
            if not same:
                continue
            other = same.pop(0)
            compared.rows.append(
                [f"  {figure}", _with_verdict(measured, verdict), _with_verdict(other[1], other[3]), target]
            )
    return compared if len(compared.rows) > 1 else None


def _with_verdict(measured: str, verdict: str) -> str:
    """Return a figure with its verdict in brackets, if it has one."""
    return f"{measured} [{verdict}]" if verdict else measured


def _print_section(section: Section) -> None:
    """Print one section: its title, its conditions, and its rows in aligned columns."""
    print()
    print(section.title)
    for line in section.conditions:
        print(f"  · {line}")
    widths = [max(len(row[i]) for row in section.rows) for i in range(len(section.rows[0]))]
    for row in section.rows:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _print(sections: list[Section], started_load: str) -> None:
    """Print the table."""
    info = machine()
    print(
        f"Hearth benchmarks on {info.cpus} CPU (nproc), Python {info.python}, SQLite {info.sqlite};"
        f" load average at the start {started_load}"
    )
    print(
        f"Fake Discord in rate-limit mode: {GLOBAL_LIMIT} requests/s global, {CHANNEL_MESSAGES[0]} messages"
        f" per {CHANNEL_MESSAGES[1]:g} s per channel; 127.0.0.1 only"
    )
    several = len({s.backend for s in sections}) > 1
    for section in sections:
        if several:
            section.title = f"[{BACKEND_TITLES[section.backend]}] {section.title}"
        _print_section(section)
    compared = _side_by_side(sections) if several else None
    if compared is not None:
        _print_section(compared)


def _run_phase(phase: str, backend: BackendName, postgres_url: str | None, argv: list[str]) -> Section | None:
    """Run one phase in a fresh process (clean memory and caches) and return its section."""
    # The server URL goes through the environment, so a password never shows in the process list.
    env = dict(os.environ)
    env.pop(POSTGRES_URL_VARIABLE, None)
    if postgres_url is not None:
        env[POSTGRES_URL_VARIABLE] = postgres_url
    # Our own interpreter and module with arguments we built: nothing untrusted is executed.
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", "--phase", phase, f"--backend={backend}", *argv],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        print(f"benchmark {phase!r} on {backend} failed (exit code {done.returncode})", file=sys.stderr)
        return None
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Section(data["title"], data["conditions"], data["rows"], phase, backend)


async def _run_here(args: argparse.Namespace) -> Section:
    """Run the phase ``args`` names in this process, on a database of its own, and return its section."""
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as workdir:
        async with bench_database(args.backend, args.phase, Path(workdir), args.postgres) as database:
            section = await RUNNERS[args.phase](args, database)
    section.conditions.insert(0, f"database: {database.described}")
    return section


def _parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10_000, help="servers in the fan-out (10,000)")
    parser.add_argument("--interactions", type=int, default=500, help="interactions at once (500)")
    parser.add_argument("--schedules", type=int, default=100_000, help="schedules in the DB (100,000)")
    parser.add_argument("--writes", type=int, default=5_000, help="records in the database benchmark")
    parser.add_argument(
        "--send-rate", type=float, help="SCHEDULED_SEND_RATE for the fan-out (default: the setting's, 46/s)"
    )
    parser.add_argument("--only", choices=PHASES, action="append", help="run only these benchmarks")
    parser.add_argument(
        "--backend",
        choices=(*BACKENDS, "both"),
        default="sqlite",
        help="database to run on (sqlite); both runs every benchmark on SQLite, then on PostgreSQL",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get(POSTGRES_URL_VARIABLE) or None,
        help=f"PostgreSQL server where the user may create databases (default: ${POSTGRES_URL_VARIABLE})",
    )
    parser.add_argument(
        "--processes",
        type=int,
        help="run the multi-process benchmark instead: this many `python -m bot` shards on one token",
    )
    parser.add_argument(
        "--scenario",
        choices=("together", "apart", "sigkill"),
        action="append",
        help="with --processes: run only these scenarios (default: all three)",
    )
    parser.add_argument(
        "--logs", metavar="DIR", help="with --processes: keep each bot process's log under DIR/<scenario>/"
    )
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.backend != "sqlite" and args.postgres is None:
        parser.error(f"--backend {args.backend} needs --postgres URL (or {POSTGRES_URL_VARIABLE})")
    logging.basicConfig(level=logging.ERROR)
    if args.processes is not None:
        if args.processes < 2 or args.backend != "postgresql":
            parser.error("--processes needs at least 2 processes and --backend postgresql")
        info = machine()
        print(f"Hearth multi-process benchmark on {info.cpus} CPU (nproc), Python {info.python}")
        print(
            f"Fake Discord in its own process: {GLOBAL_LIMIT} requests/s global across every connection,"
            f" {CHANNEL_MESSAGES[0]} messages per {CHANNEL_MESSAGES[1]:g} s per channel, one IDENTIFY per 5 s"
            " per bucket; 127.0.0.1 only"
        )
        asyncio.run(_run_processes(args))
        return 0
    if args.phase is not None:
        if args.backend == "both":
            parser.error("--phase runs on one backend")
        section = asyncio.run(_run_here(args))
        print(json.dumps({"title": section.title, "conditions": section.conditions, "rows": section.rows}))
        return 0
    started_load = machine().load
    passed = [
        f"--servers={args.servers}",
        f"--interactions={args.interactions}",
        f"--schedules={args.schedules}",
        f"--writes={args.writes}",
    ]
    if args.send_rate is not None:
        passed.append(f"--send-rate={args.send_rate}")
    backends: tuple[BackendName, ...] = BACKENDS if args.backend == "both" else (args.backend,)
    phases = args.only or PHASES
    sections = [
        found
        for backend in backends
        for phase in phases
        if (found := _run_phase(phase, backend, args.postgres, passed)) is not None
    ]
    _print(sections, started_load)
    return 0 if len(sections) == len(backends) * len(phases) else 1


if __name__ == "__main__":
    sys.exit(main())
