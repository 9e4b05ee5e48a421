"""Hearth as a new user installs it: `pip install .` into a fresh virtualenv, then run from another folder.

To stay cheap, the new environment borrows the dev environment's already
installed dependencies (a ``.pth`` line) and pip installs only Hearth itself
(``--no-deps``); the build backend comes from pip's cache after the first run.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.install, pytest.mark.timeout(300)]


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command to completion and return what it did."""
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with Hearth installed by `pip install .`; returns its bin folder."""
    root = tmp_path_factory.mktemp("install")
    venv = root / "venv"
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root, env)
    assert made.returncode == 0, made.stderr
    [site_packages] = (venv / "lib").glob("python*/site-packages")
    (site_packages / "dev-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet"]
    result = run([*pip, "--no-deps", str(REPO)], root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return venv / "bin"


def user_env(folder: Path) -> dict[str, str]:
    """Return the environment of a new user: no Hearth settings, no path into the checkout."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "HEARTH_", "DATABASE_")) and k not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }


def test_installed_package_is_the_one_imported(installed: Path, tmp_path: Path) -> None:
    """Outside the checkout, `bot` and its data come from the installed package."""
    code = (
        "import bot, bot.content.library as c, bot.db.migrate as m;"
        "print(bot.__file__); print(c.CONTENT_DIR); print(m.MIGRATIONS_ROOT)"
    )
    result = run([str(installed / "python"), "-c", code], tmp_path, user_env(tmp_path))
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert str(installed.parent) in line and str(REPO) not in line


def test_hearth_check_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    """`hearth check` finds its content and migrations and reports encryption, from any folder."""
    result = run([str(installed / "hearth"), "check"], tmp_path, user_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content: OK" in result.stdout and "Migrations: OK" in result.stdout
    assert "Encryption: on from the first start" in result.stdout
    assert result.stderr == ""


def test_hearth_demo_plays_the_tour_from_another_folder(installed: Path, tmp_path: Path) -> None:
    """`hearth demo` runs the real bot on the fake Discord, with no token and no network."""
    result = run([str(installed / "hearth"), "demo"], tmp_path, user_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for seen in (
        "/setup prompts",
        "TODAY'S PROMPT",
        "revealed",
        "/checkin now",
        "A THANK-YOU",
        "hearth-export-",
    ):
        assert seen in out, seen
    assert "Only Alice sees" in out and "Everyone in #general sees" in out
    assert " ms" in out
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [], "the demo leaves nothing behind in the folder it ran from"


def test_python_dash_m_bot_works_when_installed(installed: Path, tmp_path: Path) -> None:
    """`python -m bot` is the same program as `hearth`."""
    result = run([str(installed / "python"), "-m", "bot", "keygen"], tmp_path, user_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()[0]) == 44
