"""The app layers of docs/architecture.md hold, with function-local imports counted.

Two checks that do not trust each other: import-linter's contracts (pyproject.toml, also in
``make lint``), and an AST walk of every module of src/videocall that looks at every import statement,
those inside functions included.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "videocall"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
DOMAIN_APPS = {"accounts", "audit", "meetings", "notifications", "privacy", "staff", "support", "telemetry"}
LOCAL_IMPORT_REASON = "# local import:"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every import statement of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    name = ".".join(base + ([child.module] if child.module else []))
                else:
                    name = child.module or ""
                found.append((name, child.lineno, in_function))
            walk(child, inside)

    walk(tree, False)
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "videocall" else None


def _source_files() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def _app_edges() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> ["file:line", ...], function-local imports included."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _source_files():
        source = _app_of(_module_name(path) + ".x")
        for imported, line, in_function in _imports(path):
            target = _app_of(imported + ".x")
            if source is None or target is None or source == target:
                continue
            where = f"{path.relative_to(ROOT)}:{line}" + (" (function-local)" if in_function else "")
            edges[(source, target)].append(where)
    return edges


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed (make install)")
def test_import_linter_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_no_two_apps_import_each_other() -> None:
    edges = _app_edges()
    both_ways = {
        f"{a} <-> {b}: {edges[(a, b)][:3]} / {edges[(b, a)][:3]}"
        for (a, b) in edges
        if a < b and (b, a) in edges and "config" not in (a, b)
    }
    assert not both_ways, "apps that import each other (docs/architecture.md):\n" + "\n".join(
        sorted(both_ways)
    )


def test_core_imports_no_domain_app_and_nothing_imports_config() -> None:
    edges = _app_edges()
    from_core = {target: where for (source, target), where in edges.items() if source == "core"}
    assert not from_core, f"core is the lowest layer and imports no other app: {from_core}"
    into_config = {
        source: where for (source, target), where in edges.items() if target == "config" and source != "cli"
    }
    assert not into_config, f"only the composition root imports config: {into_config}"


def _is_project_import(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Import):
        return any(alias.name.startswith("videocall") for alias in stmt.names)
    if isinstance(stmt, ast.ImportFrom):
        return bool(stmt.level) or (stmt.module or "").startswith("videocall")
    return False


def _local_import_blocks(tree: ast.AST) -> list[tuple[int, int, int]]:
    """(first line of the comment region, last line, line of the first project import) of each run of
    consecutive import statements inside a function body that imports a project module."""
    blocks = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            for name in ("body", "orelse", "finalbody"):
                statements = getattr(node, name, None)
                if not isinstance(statements, list) or (
                    node is not function and isinstance(node, ast.FunctionDef)
                ):
                    continue
                previous_end = node.lineno
                run: list[ast.stmt] = []
                for stmt in [*statements, None]:
                    if isinstance(stmt, ast.Import | ast.ImportFrom):
                        run.append(stmt)
                        continue
                    project = [s for s in run if _is_project_import(s)]
                    if project:
                        blocks.append(
                            (previous_end + 1, run[-1].end_lineno or run[-1].lineno, project[0].lineno)
                        )
                    if run:
                        previous_end = run[-1].end_lineno or run[-1].lineno
                        run = []
                    if stmt is not None:
                        previous_end = stmt.end_lineno or stmt.lineno
    return blocks


def test_every_function_local_import_says_why() -> None:
    """A project import inside a function is the exception (docs/architecture.md): each block of them
    carries a ``# local import: <reason>`` comment, on its lines or on the comment lines just above."""
    missing = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for first, last, line in _local_import_blocks(ast.parse(text)):
            if not any(LOCAL_IMPORT_REASON in lines[i - 1] for i in range(first, last + 1)):
                missing.append(f"{path.relative_to(ROOT)}:{line}")
    assert not missing, "function-local imports without a '# local import: <reason>':\n" + "\n".join(missing)
