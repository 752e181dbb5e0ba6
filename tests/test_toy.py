"""2-D toy datasets: seed 003's flower exactly, the Playground's sets seeded, balanced and split as specified,
and TF Playground's two regression sets formula for formula (its src/dataset.ts, ported below as the oracle)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnlab.data.dataset import split_indices
from nnlab.data.features import FEATURE_FUNCTIONS, expand_features
from nnlab.data.toy import REGRESSORS, flower, make_dataset, make_points, multigauss_label, plane_label
from nnlab.errors import LabError
from nnlab.spec import FEATURES, REGRESSION_DATASETS, TOY_DATASETS, TWO_CLASS_DATASETS, DataSpec, train_size

GENERATED = [d for d in TOY_DATASETS if d != "custom"]  # "custom" is the student's own points
DATASETS = [d for d in GENERATED if d not in REGRESSION_DATASETS]  # the sets with classes
MULTICLASS = [d for d in DATASETS if d not in TWO_CLASS_DATASETS]


def load_planar_dataset():
    """Seed 003's generator, verbatim (the oracle): 400 points, two petals, global seed 1."""
    np.random.seed(1)
    m = 400
    N = int(m / 2)
    D = 2
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    a = 4
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


@pytest.fixture(scope="module")
def seed_flower():
    state = np.random.get_state()  # the oracle seeds the global generator; leave it as found
    try:
        X, Y = load_planar_dataset()
    finally:
        np.random.set_state(state)
    return X.T, Y.ravel()


def test_flower_is_seed_003s_data_exactly(seed_flower):
    x_seed, y_seed = seed_flower
    x, y = flower(400, 0.2, 1)
    assert x.shape == (400, 2) and y.shape == (400,)
    np.testing.assert_array_equal(x, x_seed)
    np.testing.assert_array_equal(y, y_seed)


def test_flower_points_through_the_spec_are_the_seeds_in_float32(seed_flower):
    x_seed, y_seed = seed_flower
    x, y = make_points(DataSpec(dataset="flower", samples=400, noise=0.2), seed=1)
    assert x.dtype == np.float32
    np.testing.assert_array_equal(x, x_seed.astype(np.float32))
    np.testing.assert_array_equal(y, y_seed)


def test_flower_does_not_touch_the_global_random_state():
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    flower(400, 0.2, 1)
    np.testing.assert_array_equal(np.random.rand(3), expected)


# --- every dataset --------------------------------------------------------------------------


@pytest.mark.parametrize("samples", [400, 101])
@pytest.mark.parametrize("dataset", DATASETS)
def test_shapes_and_types(dataset, samples):
    x, y = make_points(DataSpec(dataset=dataset, samples=samples), seed=0)
    assert x.shape == (samples, 2) and x.dtype == np.float32
    assert y.shape == (samples,) and np.issubdtype(y.dtype, np.integer)
    assert np.all(np.isfinite(x))
    assert set(np.unique(y)) == {0, 1}


@pytest.mark.parametrize("dataset", GENERATED)
def test_points_stay_in_the_playground_square(dataset):
    x, _ = make_points(DataSpec(dataset=dataset, samples=400, noise=0.1), seed=0)
    assert np.abs(x).max() < 10


@pytest.mark.parametrize("dataset", [d for d in DATASETS if d != "xor"])
def test_classes_are_balanced(dataset):
    _, y = make_points(DataSpec(dataset=dataset, samples=401), seed=3)
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1, counts


def test_xor_classes_are_roughly_balanced():
    # XOR's label is the sign of x1*x2 for uniform points: balanced only in expectation.
    _, y = make_points(DataSpec(dataset="xor", samples=2000), seed=3)
    assert 0.45 < y.mean() < 0.55


def test_xor_labels_follow_the_quadrants_without_noise():
    x, y = make_points(DataSpec(dataset="xor", samples=500, noise=0.0), seed=4)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(int))
    assert np.abs(x).min() >= 0.3  # the empty cross along the axes


@pytest.mark.parametrize("dataset", GENERATED)
def test_same_seed_same_points(dataset):
    spec = DataSpec(dataset=dataset, samples=200, noise=0.2)
    x1, y1 = make_points(spec, seed=5)
    x2, y2 = make_points(spec, seed=5)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("dataset", GENERATED)
def test_another_seed_other_points(dataset):
    spec = DataSpec(dataset=dataset, samples=200, noise=0.2)
    x1, _ = make_points(spec, seed=5)
    x2, _ = make_points(spec, seed=6)
    assert not np.array_equal(x1, x2)


@pytest.mark.parametrize("dataset", GENERATED)
def test_same_seed_same_split(dataset):
    spec = DataSpec(dataset=dataset, samples=200)
    a, b = make_dataset(spec, 0.5, seed=2), make_dataset(spec, 0.5, seed=2)
    for name in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("classes", [3, 4])
@pytest.mark.parametrize("dataset", MULTICLASS)
def test_multiclass(dataset, classes):
    data = make_dataset(DataSpec(dataset=dataset, samples=240, classes=classes), 0.5, seed=0)
    assert data.n_classes == classes
    assert data.class_names == tuple(f"class {c}" for c in range(classes))
    for y in (data.y_train, data.y_test):
        np.testing.assert_array_equal(np.bincount(y, minlength=classes), [len(y) // classes] * classes)


def test_gauss_blobs_sit_apart():
    x, y = make_points(DataSpec(dataset="gauss", samples=600, classes=3, noise=0.0), seed=0)
    centres = np.stack([x[y == c].mean(axis=0) for c in range(3)])
    distances = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
    assert distances[~np.eye(3, dtype=bool)].min() > 3


def test_circle_inner_class_is_the_disk():
    x, y = make_points(DataSpec(dataset="circle", samples=400, noise=0.0), seed=0)
    radius = np.linalg.norm(x, axis=1)
    assert radius[y == 0].max() < radius[y == 1].min()


# --- TF Playground's regression sets ---------------------------------------------------------------


def ts_linear(domain, range_, clamp=False):
    """d3.scale.linear().domain(domain).range(range_)[.clamp(true)], as dataset.ts uses it."""
    (d0, d1), (r0, r1) = domain, range_

    def scale(v):
        t = (v - d0) / (d1 - d0)
        if clamp:
            t = min(max(t, 0.0), 1.0)
        return r0 + t * (r1 - r0)

    return scale


def ts_regress_plane_label(x, y):
    """regressPlane's getLabel, line for line (no clamp: d3 scales extrapolate)."""
    return ts_linear((-10, 10), (-1, 1))(x + y)


def ts_regress_gaussian_label(x, y):
    """regressGaussian's getLabel, line for line."""
    label_scale = ts_linear((0, 2), (1, 0), clamp=True)
    gaussians = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]]
    label = 0
    for cx, cy, sign in gaussians:
        new_label = sign * label_scale(math.hypot(x - cx, y - cy))
        if abs(new_label) > abs(label):
            label = new_label
    return label


@pytest.fixture(scope="module")
def probe_points():
    """The bumps' centres and rims, a grid over the plane, and random points: where the formulas differ, if anywhere."""
    grid = np.stack(np.meshgrid(np.linspace(-6, 6, 49), np.linspace(-6, 6, 49)), -1).reshape(-1, 2)
    special = [[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5], [-2, 2.5], [2, -2.5], [0, 0], [6, 6]]
    return np.vstack([grid, special, np.random.default_rng(0).uniform(-6, 6, (500, 2))])


def test_regression_names_are_the_specs():
    assert tuple(REGRESSORS) == REGRESSION_DATASETS


def test_multigauss_label_is_tf_playgrounds(probe_points):
    expected = [ts_regress_gaussian_label(x, y) for x, y in probe_points]
    np.testing.assert_allclose(multigauss_label(probe_points), expected, atol=1e-12)


def test_plane_label_is_tf_playgrounds_clipped_to_its_colour_range(probe_points):
    expected = np.array([ts_regress_plane_label(x, y) for x, y in probe_points])
    inside = np.abs(expected) <= 1
    assert inside.mean() > 0.9 and (~inside).any()  # the corners reach ±1.2 in TF Playground
    np.testing.assert_allclose(plane_label(probe_points)[inside], expected[inside], atol=1e-12)
    np.testing.assert_array_equal(plane_label(probe_points)[~inside], np.sign(expected[~inside]))


@pytest.mark.parametrize("samples", [400, 101])
@pytest.mark.parametrize("dataset", REGRESSION_DATASETS)
def test_regression_shapes_types_and_range(dataset, samples):
    x, y = make_points(DataSpec(dataset=dataset, samples=samples, noise=0.5), seed=0)
    assert x.shape == (samples, 2) and x.dtype == np.float32
    assert y.shape == (samples,) and y.dtype == np.float32
    assert np.all(np.isfinite(y)) and np.abs(y).max() <= 1.0
    assert np.abs(x).max() <= 6.0  # uniform in [-6, 6]²: noise moves the label, not the point
    assert (y > 0).any() and (y < 0).any()


@pytest.mark.parametrize("dataset", REGRESSION_DATASETS)
def test_regression_without_noise_is_the_formula(dataset):
    x, y = make_points(DataSpec(dataset=dataset, samples=500, noise=0.0), seed=1)
    label = plane_label if dataset == "plane" else multigauss_label
    np.testing.assert_allclose(y, label(x.astype(np.float64)), atol=1e-6)


def test_plane_noise_shifts_where_the_label_is_read_as_tf_playground_does():
    # label = ((x1 + s1) + (x2 + s2)) / 10 with s uniform in [-6, 6]·noise: off by at most 12·noise/10.
    x, y = make_points(DataSpec(dataset="plane", samples=4000, noise=0.3), seed=2)
    error = y - plane_label(x.astype(np.float64))
    unclipped = np.abs(x.sum(axis=1)) < 10 - 3.6
    assert np.abs(error[unclipped]).max() <= 0.36 + 1e-6
    assert np.abs(error[unclipped]).max() > 0.3  # and the shift does reach that far
    assert abs(error[unclipped].mean()) < 0.02  # centred


@pytest.mark.parametrize("dataset", REGRESSION_DATASETS)
def test_noise_widens_the_regression_labels(dataset):
    label = plane_label if dataset == "plane" else multigauss_label
    spread = []
    for noise in (0.0, 0.1, 0.25, 0.5):
        x, y = make_points(DataSpec(dataset=dataset, samples=2000, noise=noise), seed=3)
        spread.append(float(np.std(y - label(x.astype(np.float64)))))
    assert spread[0] < 1e-6
    assert spread == sorted(spread) and spread[-1] > 2 * spread[1]


def test_multigauss_bumps_have_their_signs():
    centres = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    np.testing.assert_array_equal(multigauss_label(centres), [1, -1, 1, -1, 1, -1])
    assert multigauss_label(np.array([[0.0, 6.0], [-6.0, 0.0]])).tolist() == [0.0, 0.0]  # beyond every rim


@pytest.mark.parametrize("dataset", REGRESSION_DATASETS)
def test_regression_dataset_has_no_classes_and_splits_unstratified(dataset):
    data = make_dataset(DataSpec(dataset=dataset, samples=101), 0.3, seed=4)
    assert data.class_names == () and data.n_classes == 0 and data.regression
    assert len(data.y_train) == train_size(101, 0.3) and len(data.y_test) == 101 - train_size(101, 0.3)
    assert data.y_train.dtype == np.float32 and data.y_test.dtype == np.float32
    assert not data.y_train.flags.writeable
    again = make_dataset(DataSpec(dataset=dataset, samples=101), 0.3, seed=4)
    np.testing.assert_array_equal(data.y_test, again.y_test)


def test_a_classification_dataset_is_not_regression():
    assert not make_dataset(DataSpec(), 0.5, seed=0).regression


def test_split_indices_takes_float_labels_for_regression():
    y = np.linspace(-1, 1, 50, dtype=np.float32)
    train, test = split_indices(y, 0.8, seed=3, n_classes=0)
    assert len(train) == 40 and sorted([*train, *test]) == list(range(50))
    np.testing.assert_array_equal(train, split_indices(y, 0.8, seed=3, n_classes=0)[0])


def test_custom_has_no_generator_and_says_so():
    with pytest.raises(LabError) as caught:
        make_points(DataSpec(dataset="custom"), seed=0)
    assert caught.value.key == "error_no_own_points"
    assert "upload" in caught.value.message("en") and "загрузите" in caught.value.message("ru")


# --- the split ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, samples, ratio",
    [
        ("circle", 400, 0.5),
        ("flower", 400, 0.8),
        ("spiral", 101, 0.3),
        ("moons", 10, 0.1),
        ("xor", 10, 0.9),
        ("gauss", 50, 0.9),
    ],
)
def test_split_sizes_follow_train_size(dataset, samples, ratio):
    data = make_dataset(DataSpec(dataset=dataset, samples=samples), ratio, seed=0)
    n_train = train_size(samples, ratio)
    assert len(data.y_train) == len(data.x_train) == n_train
    assert len(data.y_test) == len(data.x_test) == samples - n_train
    assert data.n_inputs == 2


def test_split_is_stratified():
    data = make_dataset(DataSpec(dataset="circle", samples=400), 0.5, seed=0)
    np.testing.assert_array_equal(np.bincount(data.y_train), [100, 100])


def test_split_keeps_every_point_once():
    spec = DataSpec(dataset="gauss", samples=300, classes=3)
    x, _ = make_points(spec, seed=8)
    data = make_dataset(spec, 0.5, seed=8)
    together = np.concatenate([data.x_train, data.x_test])
    np.testing.assert_array_equal(together[np.lexsort(together.T)], x[np.lexsort(x.T)])


def test_arrays_are_read_only():
    data = make_dataset(DataSpec(), 0.5, seed=0)
    for array in (data.x_train, data.y_train, data.x_test, data.y_test):
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[0] = 0


# --- features -------------------------------------------------------------------------------


def test_expand_features_values():
    points = np.array([[1.0, 2.0], [-0.5, 3.0], [0.0, -1.5]])
    names = ("x1^2", "x1*x2", "sin_x1", "x2", "x2^2", "sin_x2", "x1")
    features = expand_features(points, names)
    x1, x2 = points[:, 0], points[:, 1]
    expected = np.stack([x1**2, x1 * x2, np.sin(x1), x2, x2**2, np.sin(x2), x1], axis=1)
    assert features.shape == (3, 7) and features.dtype == np.float32
    np.testing.assert_allclose(features, expected, rtol=1e-6)
    np.testing.assert_array_equal(features[:, 0], np.float32([1.0, 0.25, 0.0]))
    np.testing.assert_array_equal(features[:, 1], np.float32([2.0, -1.5, -0.0]))


def test_every_feature_in_the_spec_has_a_function():
    assert set(FEATURE_FUNCTIONS) == set(FEATURES)


def test_feature_order_follows_the_names():
    points = np.array([[2.0, 3.0]])
    np.testing.assert_array_equal(expand_features(points, ("x2", "x1")), [[3.0, 2.0]])
