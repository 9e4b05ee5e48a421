"""content/repair.toml validates, says what the flow is for, and the validator catches mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR, load_content
from bot.content.repair import PLACEHOLDERS, load_repair
from bot.repair.statement import Part, Statement, assemble


def test_repair_content_loads_with_every_text() -> None:
    """Every text the code uses is present, and the steps and tips are there."""
    content = load_content().repair
    assert set(content.texts.texts) == set(PLACEHOLDERS)
    assert [step.name for step in content.steps][:2] == ["Pause", "Acknowledge"]
    assert len(content.flags) >= 5


def test_repair_content_states_its_scope_and_points_to_resources() -> None:
    """The flow says plainly it is for everyday conflict, not abuse or fear, and links /resources."""
    texts = load_content().repair.texts
    scope = texts("start.scope", who="Sam", resources="</resources:1>")
    assert "everyday conflict" in scope
    assert "abuse" in scope and "afraid" in scope
    assert "</resources:1>" in scope
    assert "</resources:1>" in texts("recipient.safety", resources="</resources:1>")


def test_repair_content_fits_discord_limits() -> None:
    """Modal title, labels and button labels fit Discord's limits; the template names all four parts."""
    texts = load_content().repair.texts
    assert len(texts("modal.title")) <= 45
    for part in Part:
        assert len(texts(f"modal.{part.value}_label")) <= 45
        assert len(texts(f"modal.{part.value}_placeholder")) <= 100
    statement = Statement(feel="F", when="W", because="B", need="N", will_do="D")
    text = assemble(statement, texts.template("template.statement"), texts.template("template.will_do"))
    assert all(letter in text for letter in "FWBND")


@pytest.fixture
def repair_file(tmp_path: Path) -> Path:
    target = tmp_path / "repair.toml"
    shutil.copy(CONTENT_DIR / "repair.toml", target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('title = "Your I-statement"', 'title = "' + "x" * 46 + '"', "'modal.title' is 46 characters"),
        ('button_send = "Send"', 'button_send = "Send {who}"', "unknown placeholders ['who']"),
        (
            'button_edit = "Edit"',
            'button_edit = "Edit"\nbutton_extra = "More"',
            "unknown text 'preview.button_extra'",
        ),
        ('button_discard = "Discard"\n', "", "'preview.button_discard' is missing"),
        ('[[step]]\nname = "Pause"', '[[step]]\nname = ""', "'name' must be a non-empty string"),
    ],
)
def test_repair_content_validator_names_each_problem(
    repair_file: Path, old: str, new: str, problem: str
) -> None:
    """Overlong, unknown, missing and empty texts are each reported with the key."""
    text = repair_file.read_text(encoding="utf-8")
    assert old in text
    repair_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_repair(repair_file)
    assert any(problem in line for line in caught.value.problems), caught.value.problems
