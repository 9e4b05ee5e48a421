"""`python -m bot` as a user runs it, in a fresh directory with no .env."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_bot_command(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in {"DISCORD_TOKEN", "DATABASE_URL"}}
    clean.update(PYTHONPATH=str(REPO), **env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_main_without_token_exits_2_with_how_to(tmp_path: Path) -> None:
    """No token: exit 2 and explain how to create the application and invite the bot."""
    result = run_bot_command(tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "discord.com/developers/applications" in result.stderr
    assert "applications.commands" in result.stderr


def test_main_check_prints_summary_and_exits_0(tmp_path: Path) -> None:
    """`check` validates settings, content and migrations offline and does not create the database."""
    result = run_bot_command(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "Settings: OK" in result.stdout
    assert "Content: OK" in result.stdout
    assert "Migrations: OK" in result.stdout
    assert not (tmp_path / "data").exists()


def test_main_bad_setting_exits_2_naming_it(tmp_path: Path) -> None:
    """An unknown default timezone is one clear line naming the setting, exit 2."""
    result = run_bot_command(tmp_path, "check", DEFAULT_TIMEZONE="Atlantis/Capital")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Invalid setting DEFAULT_TIMEZONE:")


def test_main_reads_settings_from_dotenv(tmp_path: Path) -> None:
    """A .env file in the working directory is read."""
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=Nowhere/Town\n")
    result = run_bot_command(tmp_path, "check")
    assert result.returncode == 2
    assert "DEFAULT_TIMEZONE" in result.stderr
