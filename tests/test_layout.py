"""The house keeps its rooms: the README's project layout matches the tree, and no module
of the app outgrows the size at which it should become a package (STYLE.md)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "questionnaires"
MAX_LINES = 600
PATH = re.compile(r"^[\w.-]+(/[\w.-]+)*(\.py|/)$")
# Folders whose files the layout does not list one by one.
NOT_LISTED = {"migrations", "management", "templatetags", "__pycache__"}
DESCRIPTION_COLUMN = 20


def _layout() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Project layout\n", 1)[1]
    return section.split("```\n", 2)[1].splitlines()


def _listed() -> set[Path]:
    """Every file and folder the layout names, as paths from the project root."""
    listed: set[Path] = set()
    folders: dict[int, Path] = {}
    current: Path | None = None
    for line in _layout():
        indent = len(line) - len(line.lstrip())
        if not line.strip():
            continue
        if indent >= DESCRIPTION_COLUMN:  # the description of the entry above goes on
            entries, description = [], line.split()
        else:
            depth = indent // 2
            parent = folders.get(depth - 1, Path()) if depth else Path()
            # The entries stand apart from their description by two spaces or more.
            head, *rest = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            entries = [parent / word for word in head.split() if PATH.match(word)]
            description = rest[0].split() if rest else []
            for path in entries:
                listed.add(path)
                if str(path).endswith("/") or (ROOT / path).is_dir():
                    folders[depth] = path
            current = entries[-1] if entries else current
        # A folder's description may name its files ("clients.py (clients, …)").
        if current is not None and (ROOT / current).is_dir():
            for word in description:
                name = word.strip("(),;:")
                if name.endswith(".py") and "/" not in name:
                    listed.add(current / name)
    return listed


def test_everything_the_layout_names_exists():
    missing = sorted(str(path) for path in _listed() if not (ROOT / path).exists())
    assert not missing


def _app_parts() -> list[Path]:
    parts = []
    for path in sorted(APP.rglob("*")):
        inside = path.relative_to(APP).parts
        if set(inside[:-1]) & NOT_LISTED or path.name in {"__init__.py", "__pycache__"}:
            continue
        if path.suffix == ".py" or (path.is_dir() and path.name not in NOT_LISTED):
            parts.append(path.relative_to(ROOT))
    return parts


def test_the_layout_names_every_module_and_package_of_the_app():
    listed = {Path(str(path).rstrip("/")) for path in _listed()}
    unlisted = [str(path) for path in _app_parts() if path not in listed]
    assert not unlisted, "add these to the README's project layout"


# Migrations are written once and never grow.
MODULES = sorted(path for path in APP.rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(APP)))
def test_no_module_of_the_app_passes_600_lines(module):
    assert len(module.read_text().splitlines()) <= MAX_LINES
