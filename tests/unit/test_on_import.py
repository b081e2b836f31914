"""The one "patch a module on import" helper that capture.py and watch.py share, on throwaway modules."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from keras_shapes_magic.diagnosis.rows import Table
from keras_shapes_magic.on_import import ImportPatcher
from keras_shapes_magic.records import Kind, Row

pytestmark = pytest.mark.unit


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A throwaway module ``ksm_patch_target_<n>`` on sys.path, not yet imported."""
    name = f"ksm_patch_target_{id(tmp_path)}"
    (tmp_path / f"{name}.py").write_text("def greet():\n    return 'hello'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def shout(module: types.ModuleType) -> None:
    original = module.greet
    module.greet = lambda: original().upper()
    module.greet.original = original


def unshout(module: types.ModuleType) -> None:
    module.greet = getattr(module.greet, "original", module.greet)


def test_a_module_imported_later_is_patched_when_it_loads(package: str) -> None:
    patcher = ImportPatcher("test", [package], shout, unshout)
    patcher.install()
    try:
        assert package not in sys.modules  # installing imports nothing
        module = __import__(package)
        assert module.greet() == "HELLO"
    finally:
        patcher.uninstall()
    assert module.greet() == "hello" and patcher not in sys.meta_path


def test_a_module_already_imported_is_patched_at_once_and_only_one_finder_per_tag(package: str) -> None:
    module = __import__(package)
    first, again = ImportPatcher("test", [package], shout, unshout), ImportPatcher("test", [package], shout, unshout)
    first.install()
    again.install()  # a reloaded extension: a new object with the same tag
    try:
        assert sum(getattr(f, "tag", None) == "test" for f in sys.meta_path) == 1
        assert module.greet() == "HELLO"
    finally:
        again.uninstall()
    assert not any(getattr(f, "tag", None) == "test" for f in sys.meta_path)


def test_a_patch_that_raises_never_breaks_the_import(package: str) -> None:
    def broken(module: types.ModuleType) -> None:
        raise RuntimeError("a Keras we do not know")

    patcher = ImportPatcher("test", [package], broken, broken)
    patcher.install()
    try:
        assert __import__(package).greet() == "hello"
    finally:
        patcher.uninstall()


def test_replacing_a_row_keeps_names_unique() -> None:
    table = Table()
    table.add(Row(name="encoder", kind=Kind.LAYER, type="Sequential"))
    table.add(Row(name="dense", kind=Kind.LAYER, type="Dense"), layer="inner")
    assert table.replace(1, Row(name="encoder", kind=Kind.LAYER, type="Sequential"), layer="model") == 1
    assert [row.name for row in table.rows] == ["encoder", "encoder #2"] and table.layers[1] == "model"
    table.replace(0, Row(name="encoder", kind=Kind.LAYER, type="Functional"))
    assert table.rows[0].name == "encoder" and table.rows[0].type == "Functional"
