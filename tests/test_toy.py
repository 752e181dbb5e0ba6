"""2-D toy datasets: seed 003's flower exactly, the Playground's sets seeded, balanced and split as specified."""

from __future__ import annotations

import numpy as np
import pytest

from nnlab.data.features import FEATURE_FUNCTIONS, expand_features
from nnlab.data.toy import flower, make_dataset, make_points
from nnlab.spec import FEATURES, TOY_DATASETS as DATASETS, TWO_CLASS_DATASETS, DataSpec, train_size

MULTICLASS = [d for d in DATASETS if d not in TWO_CLASS_DATASETS]


def load_planar_dataset():
    """Seed 003's generator, verbatim (the oracle): 400 points, two petals, global seed 1."""
    np.random.seed(1)
    m = 400; N = int(m/2); D = 2  # noqa: E702
    X = np.zeros((m,D)); Y = np.zeros((m,1), dtype='uint8'); a = 4  # noqa: E702
    for j in range(2):
        ix = range(N*j,N*(j+1))
        t = np.linspace(j*3.12,(j+1)*3.12,N) + np.random.randn(N)*0.2
        r = a*np.sin(4*t) + np.random.randn(N)*0.2
        X[ix] = np.c_[r*np.sin(t), r*np.cos(t)]
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


@pytest.mark.parametrize("dataset", DATASETS)
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


@pytest.mark.parametrize("dataset", DATASETS)
def test_same_seed_same_points(dataset):
    spec = DataSpec(dataset=dataset, samples=200, noise=0.2)
    x1, y1 = make_points(spec, seed=5)
    x2, y2 = make_points(spec, seed=5)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("dataset", DATASETS)
def test_another_seed_other_points(dataset):
    spec = DataSpec(dataset=dataset, samples=200, noise=0.2)
    x1, _ = make_points(spec, seed=5)
    x2, _ = make_points(spec, seed=6)
    assert not np.array_equal(x1, x2)


@pytest.mark.parametrize("dataset", DATASETS)
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


# --- the split ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dataset, samples, ratio",
    [("circle", 400, 0.5), ("flower", 400, 0.8), ("spiral", 101, 0.3), ("moons", 10, 0.1), ("xor", 10, 0.9),
     ("gauss", 50, 0.9)],
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
    np.testing.assert_array_equal(
        together[np.lexsort(together.T)], x[np.lexsort(x.T)]
    )


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
