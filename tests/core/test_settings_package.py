"""The settings package: one module per topic, each setting assigned in exactly one of them."""

import ast
from collections import Counter
from pathlib import Path

import videocall.config.settings as settings_package

PACKAGE = Path(settings_package.__file__).resolve().parent


def _assigned(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        elif isinstance(node, ast.If):  # settings chosen by a condition (cache, email, storage)
            for inner in ast.walk(node):
                if isinstance(inner, ast.Assign):
                    targets.extend(inner.targets)
        names.update(t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper())
    return names


def test_each_setting_is_assigned_in_one_module_only():
    counts = Counter(name for path in PACKAGE.glob("*.py") for name in _assigned(path))
    assert [name for name, n in counts.items() if n > 1] == []


def test_every_module_is_short_and_imported_by_the_package():
    init = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 200, path.name
        if path.name != "__init__.py":
            assert f"from videocall.config.settings.{path.stem} import *" in init, path.name
