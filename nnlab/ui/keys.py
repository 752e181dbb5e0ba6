"""Every catalogue key the pages build at run time (t(f"dataset_{name}") and the like), declared so a test can
check that each exists in every language with the same placeholders (tests/test_russian_text.py)."""

from __future__ import annotations

from nnlab.catalogue import CATALOGUE
from nnlab.convolution import COST_KINDS
from nnlab.data.cifar import CIFAR_CLASSES
from nnlab.experiments import METRICS
from nnlab.generalization import REMEDIES
from nnlab.landscapes import SURFACES
from nnlab.lessonplan import LESSONS
from nnlab.lossfunctions import SEED_EXAMPLES
from nnlab.presets import PRESETS
from nnlab.spec import DATASETS, GRID_AXES, LOSSES, OPTIMIZERS, PADDINGS, REGULARIZATIONS, SWEEP_SETTINGS
from nnlab.ui.controls import HIDEABLE
from nnlab.ui.convolution_page import PRESET_NAMES as CONV_PRESETS
from nnlab.ui.convolution_page import SOURCES as CONV_SOURCES
from nnlab.ui.digits_page import PRESET_NAMES, SOURCES
from nnlab.ui.generalization_page import LIVE_STATS
from nnlab.ui.home import LABS as HOME_LABS
from nnlab.ui.home import LESSONS as HOME_LESSONS
from nnlab.ui.losses_page import CURVE_LOSSES
from nnlab.ui.mapview import LAYERS, VIEWS
from nnlab.ui.worldmap_page import SHIPPED


def _keys() -> tuple[str, ...]:
    keys = [f"dataset_{d}" for d in DATASETS] + [f"optimizer_{o}" for o in OPTIMIZERS]
    keys += [f"regularization_{r}" for r in REGULARIZATIONS] + [f"loss_{name}" for name in LOSSES]
    keys += [f"preset_about_{name}" for name in PRESETS] + [f"surface_{name}" for name in SURFACES]
    keys += [f"example_{e.key}" for e in SEED_EXAMPLES] + [f"example_note_{e.key}" for e in SEED_EXAMPLES if e.note]
    keys += [f"curve_{name}" for name in CURVE_LOSSES]
    keys += [f"lesson_{seed}_{part}" for seed in LESSONS for part in ("title", "text", "figure", "summary")]
    keys += [key for seed, labs in HOME_LESSONS for key in labs]
    # the names tables show: every col_/val_/page_ key is one (names.shown_value, names.column_title)
    keys += [key for key in CATALOGUE["en"] if key.startswith(("col_", "val_", "page_", "home_column_"))]
    keys += [f"{text}_{lab.card}" for lab in HOME_LABS for text in ("home_open", "pages_home_lab", "pages_home_more")]
    keys += [f"control_{name}" for name in HIDEABLE] + [f"digits_source_{s}" for s in SOURCES]
    keys += [f"preset_{name}" for name in (*PRESET_NAMES, "cities-reference", "cities-minimal")]
    keys += [f"grid_{axis}" for axis in ("rows", "columns")] + [f"axis_{name}" for name in GRID_AXES]
    keys += [f"metric_{m}" for m in METRICS] + [f"remedy_{r}" for r in REMEDIES] + list(LIVE_STATS)
    keys += [f"view_{v}" for v in VIEWS] + [f"points_{v}" for v in LAYERS]
    keys += [f"source_{s}" for s in (SHIPPED, "upload")] + [f"sweep_{s}" for s in SWEEP_SETTINGS]
    keys += [f"conv_source_{s}" for s in CONV_SOURCES] + [f"conv_loading_{s}" for s in CONV_SOURCES[:2]]
    keys += [f"preset_{name}" for name in CONV_PRESETS] + [f"cifar_class_{name}" for name in CIFAR_CLASSES]
    keys += [f"conv_padding_{p}" for p in PADDINGS] + [f"conv_layer_{kind}" for kind in ("conv", "pool")]
    keys += [f"conv_kind_{kind}" for _, kind in COST_KINDS]
    exports = ("export_script", "export_run", "export_keras", "export_data", "export_history")
    keys += [*exports, *(f"{label}_help" for label in exports)]
    return tuple(keys)


DYNAMIC_KEYS = _keys()
