"""The package's shape: no import cycle (imports inside functions count), a core that never imports IPython,
views that the data does not import, and every family declared in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import keras_shapes_magic

pytestmark = pytest.mark.unit

PACKAGE = Path(keras_shapes_magic.__file__).parent
NAME = "keras_shapes_magic"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module of the package that ``path`` imports, at the top or inside a function."""
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith(NAME))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith(NAME):
                continue
            for alias in node.names:  # `from . import views` imports a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {name for name in found if name in MODULES and name != this}


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def reachable(start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(GRAPH[start])
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(GRAPH[name])
    return seen


def test_no_import_cycle_counting_imports_inside_functions() -> None:
    # A package's __init__ runs before its submodules: a module importing its own package is not a cycle.
    cycles = sorted(name for name in GRAPH
                    if any(name in reachable(other) and not name.startswith(other) and not other.startswith(name)
                           for other in GRAPH[name]))
    assert cycles == [], f"modules on an import cycle: {cycles}"


def test_the_record_imports_no_view() -> None:
    views = {f"{NAME}.{view}" for view in ("render", "table", "widget", "display", "views")}
    assert not (reachable(f"{NAME}.records") & views)


def external_imports(path: Path) -> set[str]:
    """Top-level names of the packages outside ours that ``path`` imports (anywhere in it)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text())
    type_only = {id(inner) for node in ast.walk(tree)
                 if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
                 for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found - {NAME}


@pytest.mark.parametrize("core", [f"{NAME}.parse", f"{NAME}.records", f"{NAME}.diagnosis", f"{NAME}.capture"])
def test_the_core_imports_neither_ipython_nor_a_framework(core: str) -> None:
    for name in {core} | reachable(core):
        banned = external_imports(MODULES[name]) & {"IPython", "ipywidgets", "pandas", "tensorflow", "keras",
                                                   "tf_keras", "jax", "torch"}
        assert not banned, f"{name} imports {sorted(banned)}"


def test_every_family_module_is_registered() -> None:
    from keras_shapes_magic.diagnosis import families
    from keras_shapes_magic.records import ErrorFamily

    modules = {path.stem for path in (PACKAGE / "diagnosis" / "families").glob("*.py")} - {"__init__", "base"}
    registered = {family.explain.__module__.rsplit(".", 1)[-1] for family in families.FAMILIES}
    assert registered == modules
    names = [family.name for family in families.FAMILIES]
    assert len(names) == len(set(names)), "a family is registered twice"
    assert set(names) == set(ErrorFamily) - {ErrorFamily.UNKNOWN}


def test_private_keras_attributes_are_read_only_in_the_adapter() -> None:
    private = ("_inbound_nodes", "_keras_history", "_functional", "_layers", "_outputs", "_inputs")
    for name, path in MODULES.items():
        if name.endswith("keras_objects"):
            continue
        source = path.read_text()
        used = [attr for attr in private if f'"{attr}"' in source or f".{attr}" in source]
        assert not used, f"{name} reads {used} (only diagnosis/keras_objects.py may)"


def test_numeric_limits_are_named_once_in_limits() -> None:
    """No bound of 50 or more is written as a bare number outside ``limits.py``."""
    bare = []
    for name, path in MODULES.items():
        if name.endswith(".limits"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and type(node.value) is int and node.value >= 50 \
                    and node.value != 0x7F:  # DEL, in the table of control characters
                bare.append(f"{name}:{node.lineno}: {node.value}")
    assert not bare, "name these limits in keras_shapes_magic/limits.py: " + ", ".join(bare)


def test_broad_excepts_only_at_the_boundaries() -> None:
    """``except Exception`` only where we touch live objects, IPython or the front end."""
    boundaries = ("keras_objects", "hook", "capture", "display", "watch", "on_import")
    found = []
    for name, path in MODULES.items():
        if name.rsplit(".", 1)[-1] in boundaries:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and (
                    node.type is None or (isinstance(node.type, ast.Name) and node.type.id in ("Exception",
                                                                                              "BaseException"))):
                found.append(f"{name}:{node.lineno}")
    assert not found, "broad except outside the boundary modules: " + ", ".join(found)
