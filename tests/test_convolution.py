"""The convolution lab on small image sets: its kind, filters as frames, feature maps, top-3, summary, cost."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnlab import convolution
from nnlab.__main__ import main
from nnlab.data.digits import DigitImages, shipped_images
from nnlab.kinds import kind_of
from nnlab.labs import lab_builder
from nnlab.presets import get_preset
from nnlab.spec import Experiment, SpecError


def small(**changes) -> Experiment:
    return get_preset("conv-digits").experiment.replace(**({"samples": 360, "epochs": 2} | changes))


@pytest.fixture(scope="module")
def lab():
    lab = convolution.build_lab(small(), shipped_images("digits"))
    convolution.record_filter_frames(lab)
    lab.trainer.run(2)
    return lab


def test_an_experiment_with_blocks_is_a_conv_lab_and_without_them_a_digits_lab():
    assert kind_of(small()).name == "conv" and kind_of("cifar10").name == "conv"
    assert kind_of(small(conv_blocks="")).name == "images"


def test_the_first_filters_are_recorded_every_epoch_and_change_while_training(lab):
    frames = lab.trainer.recorder.frames
    assert [frame.epoch for frame in frames] == [0, 1, 2]
    assert frames[0].neurons.shape == (8, 3, 3)  # grey digits: one ±max picture per filter
    assert not np.array_equal(frames[0].neurons, frames[-1].neurons)
    assert convolution.first_filters(lab.trainer).shape == (8, 3, 3, 1)


def test_colour_filters_are_rgb_pictures():
    rng = np.random.default_rng(0)
    photos = DigitImages(rng.random((60, 32, 32, 3), dtype=np.float32), np.arange(60) % 10, "cifar10")
    experiment = get_preset("cifar-seed002").experiment.replace(epochs=1, batch_size=10)
    colour = convolution.build_lab(experiment, photos)
    convolution.record_filter_frames(colour)
    assert colour.trainer.recorder.last.neurons.shape == (8, 3, 3, 3)
    assert convolution.class_names(photos)[0] == "airplane"


def test_feature_maps_follow_every_convolution_and_pooling(lab):
    maps = convolution.feature_maps(lab.trainer, convolution.image_of(lab, 0))
    assert [(m.name, m.kind, m.maps.shape) for m in maps] == [
        ("conv_1", "conv", (8, 8, 8)),
        ("pool_1", "pool", (4, 4, 8)),
        ("conv_2", "conv", (4, 4, 16)),
        ("pool_2", "pool", (2, 2, 16)),
    ]


def test_top_classes_are_the_three_likeliest_surest_first(lab):
    image = convolution.image_of(lab, 3)
    top = convolution.top_classes(lab.trainer, image)
    probabilities = lab.trainer.predict(image.reshape(1, -1))[0]
    assert [c for c, _ in top] == list(np.argsort(-probabilities)[:3])
    assert all(0 <= p <= 1 for _, p in top) and top[0][1] >= top[1][1] >= top[2][1]


def test_summary_and_cost_meter_count_the_parameters_keras_does(lab):
    summary = convolution.model_summary(lab.trainer)
    assert summary["parameters"].sum() == lab.trainer.parameters == lab.trainer.model.count_params()
    costs = convolution.cost_table(lab.experiment, lab.image)
    with_weights = summary[summary["parameters"] > 0]["parameters"].tolist()
    assert costs[costs["parameters"] > 0]["parameters"].tolist() == with_weights
    first, dense = convolution.sharing_saving(lab.experiment, lab.image)
    assert first == 80 and dense == 64 * 512 + 512  # 8×8 pixels to 8×8×8 outputs


def test_blocks_that_shrink_the_image_to_nothing_are_refused_before_training():
    experiment = small(conv_blocks="4:5:valid:2,4:3:valid:2")  # 8 → 4 → 2 → 0
    with pytest.raises(SpecError) as caught:
        lab_builder(experiment)
    assert caught.value.key == "error_block_kernel_too_big"


def test_conv_blocks_travel_in_the_link_form():
    experiment = small(conv_blocks="16:5:valid:1:tanh,8:3:same:2")
    assert experiment.to_dict()["conv_blocks"] == "16:5:valid:1:tanh,8:3:same:2"
    assert Experiment.from_dict(experiment.to_dict()) == experiment


def test_the_conv_digits_preset_reaches_095_from_the_command_line(capsys):
    assert main(["train", "--preset", "conv-digits", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"]["accuracy"] >= 0.95 and report["params"] == 3658
    assert report["settings"]["conv_blocks"] == "8:3:same:2,16:3:same:2"
