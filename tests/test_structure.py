"""The house rules a newcomer relies on, checked on the source: one table per idea, a thin UI, no hidden cycles."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from nnlab import generalization
from nnlab.experiments import AXES
from nnlab.experiments import with_setting as grid_setting
from nnlab.kinds import KINDS, LAB_API, kind_of
from nnlab.spec import DATASETS, KEYS, SETTINGS, Experiment, Layer, SpecError, live_keys, with_setting

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = sorted((ROOT / "nnlab").rglob("*.py"))
UI = sorted((ROOT / "nnlab" / "ui").glob("*.py"))


def _imports(path: Path) -> list[tuple[ast.AST, str]]:
    """Every import in a file with the top module it names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node, node.module.split(".")[0]))
    return found


def _function_imports(path: Path) -> list[ast.AST]:
    """Imports inside a function body (module-level try/if blocks do not count)."""
    tree = ast.parse(path.read_text())
    inner = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner += [n for n in ast.walk(function) if isinstance(n, (ast.Import, ast.ImportFrom))]
    return inner


@pytest.mark.parametrize("path", [p for p in LIBRARY if "ui" not in p.relative_to(ROOT).parts], ids=str)
def test_only_the_ui_layer_imports_streamlit(path):
    assert "streamlit" not in {name for _, name in _imports(path)}


@pytest.mark.parametrize("path", UI, ids=lambda p: p.name)
def test_the_ui_layer_does_no_maths_and_builds_no_charts(path):
    """numpy belongs in the library, Altair charts in nnlab/viz (chartview only recognises a chart's type)."""
    names = {name for _, name in _imports(path)}
    assert "numpy" not in names
    if path.name != "chartview.py":
        assert "altair" not in names


def test_every_page_file_is_listed_once_under_its_own_key():
    """nnlab.ui.setup.PAGES is the one list of pages: the sidebar, the home page's cards and lesson links read it."""
    from nnlab.ui.setup import PAGES

    files = ["app.py", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]
    assert [page.file for page in PAGES] == files  # each once, in teaching order (the files' own numbering)
    for page in PAGES[1:]:
        constants = [
            node.value.value
            for node in ast.parse((ROOT / page.file).read_text()).body
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["PAGE"]
        ]
        assert constants == [page.state_key], page.file


@pytest.mark.parametrize("path", [*UI, *sorted((ROOT / "pages").glob("*.py"))], ids=lambda p: p.name)
def test_every_multiselect_speaks_the_pages_language(path):
    """Streamlit's own empty-box text is English only: multiselects go through nnlab.ui.widgets.multiselect."""
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "multiselect"
    ]
    assert path.name == "widgets.py" or not calls, f"{path.name}: call nnlab.ui.widgets.multiselect instead"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_function_level_import_says_why_it_is_deferred(path):
    """Module-level imports are the rule; the exceptions keep something heavy off a page or a command."""
    lines = path.read_text().splitlines()
    for node in _function_imports(path):
        around = " ".join(lines[max(0, node.lineno - 3) : node.end_lineno])
        assert "deferred" in around, f"{path.name}:{node.lineno} imports inside a function without saying why"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _nnlab_imports(path: Path) -> set[str]:
    """The nnlab modules a file imports, at load time or later in a function (TYPE_CHECKING blocks never run)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nnlab"):
            found |= {f"{node.module}.{a.name}" for a in node.names} | {node.module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("nnlab")}
    return found


def test_no_import_cycles():
    """Each module could be imported first: no cycle, not even one a function-level import hides."""
    modules = {_module_name(p): p for p in LIBRARY}
    graph = {name: {m for m in _nnlab_imports(path) if m in modules and m != name} for name, path in modules.items()}
    for name in graph:  # a package's __init__ is loaded on the way to its modules; the edge says nothing
        graph[name] -= {m for m in graph[name] if name.startswith(m + ".")}
    state: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            assert state.get(target) != 1, "import cycle: " + " -> ".join((*trail, name, target))
            if target not in state:
                visit(target, (*trail, name))
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, ())


def test_every_dataset_belongs_to_exactly_one_lab_kind():
    owners = {dataset: [k.name for k in KINDS.values() if dataset in k.datasets] for dataset in DATASETS}
    assert all(len(kinds) == 1 for kinds in owners.values()), owners
    assert kind_of("cities").name == "cities" and kind_of(Experiment()).name == "toy"


@pytest.mark.parametrize("kind", KINDS.values(), ids=lambda k: k.name)
def test_every_lab_kind_module_offers_the_whole_lab_api(kind):
    module = kind.lab()
    missing = [name for name in LAB_API if not callable(getattr(module, name, None))]
    if kind.runs:
        missing += [name for name in ("run_lab", "run_pictures") if not callable(getattr(module, name, None))]
    assert not missing


def test_every_spec_key_is_declared_once_in_the_settings_table():
    assert set(KEYS) <= set(SETTINGS)
    per_part = {"activation", "hidden_units", "conv_filters", "conv_kernel", "conv_padding", "conv_pool"}  # a layer's
    assert set(SETTINGS) - set(KEYS) == per_part | {"positive_weight"}  # and a derived knob


def test_live_settings_come_from_the_table():
    assert live_keys("toy") == ("learning_rate", "epochs") or set(live_keys("toy")) == {"learning_rate", "epochs"}
    assert {"threshold", "class_weights", "balanced_weights"} <= set(live_keys("cities"))


def test_the_grid_and_the_sweeps_offer_what_the_table_declares():
    for name, axis in AXES.items():
        assert axis.values == SETTINGS[name].grid
    for name, values in generalization.SWEEPABLE.items():
        assert tuple(values) == SETTINGS[name].sweep


L1_BASE = Experiment().replace(regularization="l1", regularization_rate=0.01)


@pytest.mark.parametrize("set_one", [grid_setting, generalization.sweep_experiment], ids=["grid", "sweep"])
def test_grid_and_sweep_set_a_penalty_rate_the_same_way(set_one):
    assert set_one(L1_BASE, "regularization_rate", 0.003).model.regularization == "l1"
    assert set_one(Experiment(), "regularization_rate", 0.003).model.regularization == "l2"
    assert set_one(L1_BASE, "regularization_rate", 0).model.regularization == "none"


def test_hidden_units_keep_each_layers_activation_and_flags():
    base = Experiment().replace(hidden_layers=(Layer(4, "relu", batch_norm=True), Layer(2, "tanh", use_bias=False)))
    layers = with_setting(base, "hidden_units", 16).model.hidden_layers
    assert layers == tuple(dataclasses.replace(layer, units=16) for layer in base.model.hidden_layers)
    with pytest.raises(SpecError):
        with_setting(Experiment().replace(hidden_layers=()), "hidden_units", 8)
