"""Real ``python -m bot`` processes for multi-process tests and benchmarks, one log file each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parents[2]


def bot_environment(**settings: str) -> dict[str, str]:
    """Return this environment without any DISCORD_/HEARTH_ variable, plus ``settings`` and the repo path."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DISCORD_", "HEARTH_"))}
    env.update({"PYTHONPATH": str(REPO_ROOT), **settings})
    return env


class BotProcess:
    """One ``python -m bot`` process running the shards ``shard_ids`` (e.g. "0"), logging to a file."""

    def __init__(
        self, shard_ids: str, env: dict[str, str], log_dir: Path, *, name: str | None = None
    ) -> None:
        self.shard_ids = shard_ids
        self.name = name or f"shard-{shard_ids}"
        self.env = {**env, "SHARD_IDS": shard_ids}
        self.log_path = log_dir / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        """Start (or start again) the process, appending to its log."""
        if self._log is not None:
            self._log.close()
        self._log = self.log_path.open("ab")
        # The working directory is the log's own, so no developer .env is read.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=self.log_path.parent,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no bookkeeping, exactly like a crash."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Ask the process to stop, killing it if it does not."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._log is not None:
            self._log.close()
            self._log = None

    def exited_early(self) -> bool:
        """Return whether the process ended by itself (not by our SIGKILL)."""
        return self.process is not None and self.process.poll() not in (None, -signal.SIGKILL)

    def log_text(self) -> str:
        """Return the whole log."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self) -> str:
        """Return the end of the log, for failure messages."""
        return self.log_text()[-4000:]
