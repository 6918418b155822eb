"""The data sets of bncourse.data, tested on the shipped file: shapes, dtypes, balance, fixed splits."""
import hashlib
from importlib import resources

import numpy as np

from bncourse.data import DIGITS_SPLIT, load_digits, read_digits, spirals

SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_the_shipped_file_is_scikit_learns_copy_of_the_uci_digits():
    data = resources.files("bncourse.data").joinpath("digits.csv.gz").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256
    assert len(data) < 1_500_000
    X, y = read_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    assert np.bincount(y).tolist() == CLASS_COUNTS


def test_the_splits_have_the_stated_shapes_dtypes_and_scale():
    digits = load_digits()
    sizes = [len(s.y) for s in digits]
    assert sum(sizes) == 1797 and sizes == [1079, 359, 359]
    for split in digits:
        assert split.X.shape == (len(split.y), 64) and split.X.dtype == np.float64
        assert split.y.dtype == np.int64 and 0 <= split.X.min() and split.X.max() <= 1
    assert load_digits(scale=False).train.X.max() == 16


def test_every_split_holds_every_digit_in_proportion():
    for split, share in zip(load_digits(), DIGITS_SPLIT):
        counts = np.bincount(split.y, minlength=10)
        assert np.all(np.abs(counts - share * np.array(CLASS_COUNTS)) <= 1), counts


def test_the_splits_never_overlap_and_cover_every_image():
    train, val, test = load_digits()
    rows = np.concatenate([train.index, val.index, test.index])
    assert len(set(rows.tolist())) == len(rows) == 1797
    X, y = read_digits()
    assert np.array_equal(train.X, X[train.index] / 16) and np.array_equal(test.y, y[test.index])


def test_the_splits_are_the_same_at_every_call():
    a, b = load_digits(), load_digits()
    assert all(np.array_equal(s.index, t.index) for s, t in zip(a, b))


def test_spirals_are_seeded_and_balanced():
    X, y = spirals(50, seed=2)
    assert X.shape == (150, 2) and np.bincount(y).tolist() == [50, 50, 50]
    assert np.array_equal(X, spirals(50, seed=2)[0]) and not np.array_equal(X, spirals(50, seed=3)[0])
