"""The lab kinds in one table: what differs between 2-D points, cities, digit images and convolutional networks on
photographs, looked up, not branched on.

Each kind names a lab module that offers the same functions (`LAB_API`): `build_lab(experiment, data)`,
`evaluate(lab)`, `structure_key(experiment)`, `update_live_settings(lab, experiment)`,
`input_names(experiment, n_inputs)` and `script_rows(lab)`; the kinds the Generalization lab trains
also offer `run_lab(experiment, data, augment)` and `run_pictures(lab, resolution)`. The data loaders
(shipped data, a `--data` file) are light and come straight from `nnlab.data`.

Adding a kind: one row in KINDS, its datasets in the settings table, and the new lab module (with its page).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType, ModuleType

import pandas as pd

from nnlab.cost import block_shapes
from nnlab.data.cifar import shipped_cifar10
from nnlab.data.cities import city_labels, read_cities, shipped_cities
from nnlab.data.digits import DigitImages, read_mat, shipped_images
from nnlab.spec import IMAGE_COUNTS, IMAGE_DATASETS, PHOTO_DATASETS, TOY_DATASETS, Experiment

LAB_API = ("build_lab", "evaluate", "structure_key", "update_live_settings", "input_names", "script_rows")


@dataclass(frozen=True)
class LabKind:
    """One kind of lab: its datasets, its lab module, and how its data is loaded and described."""

    name: str
    datasets: tuple[str, ...]
    module: str  # the lab module offering LAB_API
    load_shipped: Callable[[str], object]  # dataset -> the data it names (None: the lab generates its own)
    read_file: Callable[[str], object] | None  # `--data FILE` -> the data; None: the kind takes no file
    inputs_text: str  # what the network reads, for the script's header ("" : the experiment's features)
    reports_counts: bool  # the script prints TP / TN / FP / FN beside the metrics
    runs: bool  # the Generalization lab trains it (its module offers run_lab and run_pictures)
    examples: Callable[[Experiment], int]  # examples the experiment splits into training and test
    check: Callable[[Experiment, object], None]  # refuses data the experiment cannot use, before TensorFlow loads

    def lab(self) -> ModuleType:
        """The lab module itself."""
        # deferred: the lab modules load TensorFlow; the table stays importable without it
        return importlib.import_module(self.module)

    @property
    def build(self) -> Callable:
        return self.lab().build_lab

    @property
    def evaluate(self) -> Callable:
        return self.lab().evaluate

    @property
    def structure_key(self) -> Callable:
        return self.lab().structure_key

    @property
    def update_live_settings(self) -> Callable:
        return self.lab().update_live_settings


def _generated(dataset: str) -> None:
    """Toy points are generated from the experiment itself: nothing to load."""
    return None


def _cities(dataset: str) -> pd.DataFrame:
    """The shipped world cities, whatever the dataset's name."""
    return shipped_cities()


def _images(dataset: str) -> DigitImages:
    return shipped_images(dataset)


def _conv_images(dataset: str) -> DigitImages:
    """CIFAR-10's photographs (downloaded once), or the digit sets the images kind loads."""
    return shipped_cifar10() if dataset == "cifar10" else shipped_images(dataset)


def _blocks_fit(experiment: Experiment, images: DigitImages) -> None:
    """Convolution blocks that shrink these images to nothing fail here, naming the block."""
    block_shapes((images.side, images.side, images.channels), experiment.model.conv_blocks)


def _usable(experiment: Experiment, data) -> None:
    """Generated points and digit images fit any experiment the settings allow."""


def _country_in(experiment: Experiment, table: pd.DataFrame) -> None:
    """An unknown country fails here, with its own message, before the lab module loads TensorFlow."""
    city_labels(table, experiment.data.country)


def _point_count(experiment: Experiment) -> int:
    """Generated points: as many as `samples` asks for."""
    return experiment.data.samples


def _city_count(experiment: Experiment) -> int:
    """Every shipped city: `samples` plays no part."""
    return len(shipped_cities())


def _image_count(experiment: Experiment) -> int:
    """`samples` images, at most as many as the set holds (known without loading: MNIST may need the network)."""
    return min(experiment.data.samples, IMAGE_COUNTS[experiment.data.dataset])


KINDS: Mapping[str, LabKind] = MappingProxyType(
    {
        "toy": LabKind(
            name="toy",
            datasets=TOY_DATASETS,
            module="nnlab.playground",
            load_shipped=_generated,
            read_file=None,
            inputs_text="",
            reports_counts=False,
            runs=True,
            examples=_point_count,
            check=_usable,
        ),
        "cities": LabKind(
            name="cities",
            datasets=("cities",),
            module="nnlab.worldmap",
            load_shipped=_cities,
            read_file=read_cities,
            inputs_text="latitude, longitude",
            reports_counts=True,
            runs=False,
            examples=_city_count,
            check=_country_in,
        ),
        "images": LabKind(
            name="images",
            datasets=IMAGE_DATASETS,
            module="nnlab.digits",
            load_shipped=_images,
            read_file=read_mat,
            inputs_text="pixels in [0, 1]",
            reports_counts=False,
            runs=True,
            examples=_image_count,
            check=_usable,
        ),
        # Seed 002: convolutions on CIFAR-10's photographs, or on any digit set (an experiment with
        # convolution blocks is this kind whatever its images: see kind_of).
        "conv": LabKind(
            name="conv",
            datasets=PHOTO_DATASETS,
            module="nnlab.convolution",
            load_shipped=_conv_images,
            read_file=None,
            inputs_text="pixels in [0, 1], row by row (colour channels last)",
            reports_counts=False,
            runs=False,
            examples=_image_count,
            check=_blocks_fit,
        ),
    }
)
KIND_OF_DATASET: Mapping[str, str] = MappingProxyType(
    {dataset: kind.name for kind in KINDS.values() for dataset in kind.datasets}
)


def kind_of(experiment_or_dataset: Experiment | str) -> LabKind:
    """The kind of lab an experiment (or a dataset name) needs: its dataset's, except that an experiment with
    convolution blocks is a convolution lab whatever images it reads."""
    if getattr(getattr(experiment_or_dataset, "model", None), "conv_blocks", ()):
        return KINDS["conv"]
    dataset = getattr(getattr(experiment_or_dataset, "data", None), "dataset", experiment_or_dataset)
    return KINDS[KIND_OF_DATASET[dataset]]


def lab_data(experiment: Experiment, data=None, path: str | None = None):
    """The data to build the experiment's lab on: `data` if given, else the `--data` file at `path` (for the
    kinds that read one), else the shipped data its dataset names."""
    kind = kind_of(experiment)
    if data is not None:
        return data
    if path and kind.read_file is not None:
        return kind.read_file(path)
    return kind.load_shipped(experiment.data.dataset)
