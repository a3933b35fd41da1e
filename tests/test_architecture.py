"""The shape of hub/: no import cycles, the API on top of the areas, each area wired from its init_app."""

import ast
from pathlib import Path

import pytest

HUB = Path(__file__).resolve().parent.parent / "hub"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(HUB.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in HUB.rglob("*.py")}


def imported(module: str, path: Path) -> set[str]:
    """Every hub module this one imports, at module level or inside a function."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from pkg import name` imports pkg.name when that is a module, else pkg itself.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for name in names:
            while name not in MODULES and "." in name:
                name = name.rpartition(".")[0]
            if name in MODULES and name != module:
                found.add(name)
    return found


GRAPH = {module: imported(module, path) for module, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a cycle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_function_local_imports():
    """The checker itself: a function-local import is an edge (so hiding one there does not pass)."""
    assert "hub.api" in GRAPH["hub"]  # create_app imports the areas inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    """No module of hub/ reaches itself through imports, function-local ones included."""
    assert cycles(GRAPH) == []


def test_areas_never_import_the_api():
    """hub/api/ imports from the areas, never the reverse (the factory alone wires it in)."""
    upward = sorted(
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if target.split(".")[:2] == ["hub", "api"] and module.split(".")[:2] != ["hub", "api"] and module != "hub"
    )
    assert upward == []


REGISTERING_AT_IMPORT = ("@jobs.task(", "@jobs.every(", "@jobs.on_recover", "@event.listens_for(Session", ".record_once(")


@pytest.mark.parametrize("marker", REGISTERING_AT_IMPORT)
def test_nothing_registers_itself_on_import(marker):
    """Tasks, hooks and blueprints are declared in each area's init_app, not by importing a module."""
    offenders = sorted(str(p.relative_to(HUB.parent)) for p in MODULES.values() if marker in p.read_text(encoding="utf-8"))
    assert offenders == []


def test_every_area_has_one_front_door():
    """create_app walks an explicit list of areas; each has an init_app."""
    from hub import areas

    listed = areas()
    assert len(listed) >= 10
    for area in listed:
        assert callable(getattr(area, "init_app", None)), area.__name__
