"""The layout keeps its promises: a pure core, thin actions, extensions that use the core."""

import ast
from pathlib import Path

from coach.paths import ROOT

SERVER_PACKAGES = ("rasa", "rasa_sdk", "sanic")


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, with ``from x import y`` also giving ``x.y``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_core_imports_no_server_code():
    offenders = {
        module_name(path): sorted(
            name for name in imports_of(path) if name.split(".")[0] in SERVER_PACKAGES
        )
        for path in package_files("coach")
    }
    assert not {name: found for name, found in offenders.items() if found}


def test_the_core_has_no_import_cycle():
    graph = {module_name(path): imports_of(path) for path in package_files("coach")}
    graph = {
        name: {dep for dep in deps if dep in graph and dep != name} for name, deps in graph.items()
    }
    finished: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, f"import cycle: {' -> '.join(path[path.index(name):] + [name])}"
        if name in finished:
            return
        for dep in sorted(graph[name]):
            visit(dep, path + [name])
        finished.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_server_extensions_use_the_core_not_the_action_server():
    offenders = [
        module_name(path)
        for path in package_files("addons")
        if any(name.split(".")[0] == "actions" for name in imports_of(path))
    ]
    assert not offenders


def test_actions_holds_only_action_classes_and_private_shell_helpers():
    public = [
        path.name for path in (ROOT / "actions").glob("*.py") if not path.name.startswith("_")
    ]
    for name in public:
        tree = ast.parse((ROOT / "actions" / name).read_text(encoding="utf-8"))
        classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
        assert classes, f"actions/{name} defines no action class"
