"""The house rules of issue 12, checked on the source: data flows one way, the store knows no stage,
stages know no command line, corrections belong to no stage's package."""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"


def imported_packages(path: Path) -> set[str]:
    """The top-level ``pipeline`` packages a module imports (``pipeline.X`` or ``..X``), and ``typer``."""
    parts = path.relative_to(PIPELINE).parts
    inside = len(parts) > 1                      # a module in a package, not pipeline/*.py
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "typer"}
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("pipeline.")}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0:
                if module == "typer":
                    found.add("typer")
                elif module.startswith("pipeline."):
                    found.add(module.split(".")[1])
            elif node.level == 2 and inside:
                found.add(module.split(".")[0] if module else "(root)")
    return found


def modules_of(package: str) -> list[Path]:
    return sorted((PIPELINE / package).rglob("*.py"))


def test_the_store_imports_no_stage():
    for path in modules_of("store"):
        assert imported_packages(path) <= {"(root)"}, f"{path.name} imports {imported_packages(path)}"


def test_no_stage_knows_the_command_line():
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.relative_to(PIPELINE).parts[0] == "cli":
            continue
        used = imported_packages(path)
        assert "cli" not in used and "typer" not in used, f"{path.relative_to(PIPELINE)} imports {used}"


def test_corrections_are_their_own_package():
    for package in ("store", "web"):
        for path in modules_of(package):
            text = path.read_text(encoding="utf-8")
            assert "def carry_forward" not in text and "CREATE TABLE corrections" not in text, path
    for path in modules_of("corrections"):
        assert not imported_packages(path) & {"web", "cli", "nightly"}, path


def test_data_flows_one_way():
    """No stage imports one that comes after it, nor the nightly run that strings them together."""
    later = {"crawl": {"track", "search", "export", "web", "nightly"},
             "ingest": {"crawl", "track", "search", "export", "web", "nightly"},
             "parse": {"ingest", "extract", "crawl", "track", "search", "export", "web", "nightly"},
             "extract": {"crawl", "track", "search", "export", "web", "nightly"},
             "track": {"crawl", "search", "export", "web", "nightly"},
             "search": {"crawl", "export", "web", "nightly"},
             "export": {"crawl", "web", "nightly"}}
    for package, forbidden in later.items():
        for path in modules_of(package):
            assert not imported_packages(path) & forbidden, f"{path.relative_to(PIPELINE)}"


def test_every_writer_of_directives_carries_corrections():
    """A write of directives without ``after_write`` would leave corrections on sentences that are gone."""
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.relative_to(PIPELINE).parts[0] == "store":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                    "save_document", "write_directives", "replace_parsed"):
                assert any(k.arg == "after_write" for k in node.keywords), f"{path.relative_to(PIPELINE)}:{node.lineno}"
