"""The data sets: shapes, labels, determinism and bad input; the vendored digits against
what their sources state (checksum, class counts, first image)."""

from __future__ import annotations

import base64
import gzip
import hashlib

import numpy as np
import pytest

from nblib.network.datasets import (
    DIGITS_FILE,
    DIGITS_SHA256,
    Dataset,
    blobs,
    digit_images,
    digits,
    spirals,
    split,
)
from nblib.numerics.layer import one_hot


@pytest.mark.parametrize("make", [spirals, blobs])
def test_shapes_labels_and_one_hot_targets(make):
    d = make(40, 4, seed=3)
    assert isinstance(d, Dataset)
    assert d.X.shape == (2, 160) and d.Y.shape == (4, 160) and d.labels.shape == (160,)
    assert np.array_equal(np.bincount(d.labels), [40, 40, 40, 40])
    assert np.array_equal(d.Y.sum(axis=0), np.ones(160))
    assert np.array_equal(d.Y.argmax(axis=0), d.labels)
    assert np.isfinite(d.X).all()


@pytest.mark.parametrize("make", [spirals, blobs])
def test_same_seed_same_data_other_seed_other_data(make):
    a, b, c = make(30, seed=7), make(30, seed=7), make(30, seed=8)
    assert np.array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)


def test_noiseless_spiral_follows_its_formula():
    d = spirals(5, 2, turns=0.5, noise=0.0)
    r = np.tile(np.linspace(0.1, 1.0, 5), 2)
    angle = 2 * np.pi * (0.5 * r + np.repeat([0.0, 0.5], 5))
    np.testing.assert_allclose(d.X, np.stack([r * np.cos(angle), r * np.sin(angle)]),
                               rtol=0, atol=1e-15)
    np.testing.assert_allclose(np.hypot(*d.X), r, rtol=1e-15)


def test_blobs_are_centred_on_their_circle():
    d = blobs(4000, 3, spread=0.1, seed=1)
    for k in range(3):
        centre = d.X[:, d.labels == k].mean(axis=1)
        angle = 2 * np.pi * k / 3
        np.testing.assert_allclose(centre, [0.6 * np.cos(angle), 0.6 * np.sin(angle)], atol=0.01)


def test_one_hot():
    assert np.array_equal(one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])
    # One label, one desired output: the same thing for a single example.
    assert np.array_equal(one_hot(2, 4), [0, 0, 1, 0])
    assert np.array_equal(one_hot(np.int64(0), 1), [1])
    assert np.array_equal(one_hot(np.array([1, 3]), 4)[:, 1], one_hot(3, 4))


@pytest.mark.parametrize("call, error, match", [
    (lambda: spirals(0), ValueError, "spirals: argument 'n_per_class' must be at least 1"),
    (lambda: spirals(10, 1), ValueError, "argument 'classes' must be at least 2"),
    (lambda: spirals(10.5), TypeError, "argument 'n_per_class' must be an integer"),
    (lambda: spirals(10, True), TypeError, "argument 'classes' must be an integer"),
    (lambda: spirals(noise=-0.1), ValueError, "argument 'noise' must be nonnegative"),
    (lambda: spirals(turns=float("nan")), ValueError, "argument 'turns' is NaN"),
    (lambda: spirals(seed=-1), ValueError, "argument 'seed' must be at least 0"),
    (lambda: blobs(spread="wide"), TypeError, "blobs: argument 'spread' must be a real number"),
    (lambda: one_hot(np.array([0, 3]), 3), ValueError, "argument 'labels' must lie in 0..2"),
    (lambda: one_hot(np.array([0.0, 1.0]), 3), TypeError, "argument 'labels' must be an int"),
    (lambda: one_hot(4, 4), ValueError, r"argument 'labels' must lie in 0\.\.3 \(got 4\)"),
    (lambda: one_hot(-1, 4), ValueError, "argument 'labels' must be at least 0"),
    (lambda: one_hot(1.0, 4), TypeError, "argument 'labels' must be an integer"),
    (lambda: one_hot(True, 4), TypeError, "argument 'labels' must be an integer"),
    (lambda: one_hot(0, "4"), TypeError, "argument 'classes' must be an integer"),
    (lambda: one_hot(np.array([0]), 0), ValueError, "argument 'classes' must be at least 1"),
])
def test_bad_input_names_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --------------------------------------------------------------------------- real digits

# The wheel's RECORD line for the file (scikit-learn 1.9.1): its SHA-256, urlsafe base64.
RECORD_SHA256 = "CfZubeve4s0rWuWeDWq7tz_CsOAYXS4ZV-nrtR4jqiI"
# UCI's description of the test set (optdigits.names, "Class Distribution"), digits 0..9.
UCI_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
# The file's first line, as sklearn.datasets.load_digits() shows its first image: a 0.
FIRST_IMAGE = [[0, 0, 5, 13, 9, 1, 0, 0], [0, 0, 13, 15, 10, 15, 5, 0],
               [0, 3, 15, 2, 0, 11, 8, 0], [0, 4, 12, 0, 0, 8, 8, 0],
               [0, 5, 8, 0, 0, 9, 8, 0], [0, 4, 11, 0, 1, 12, 7, 0],
               [0, 2, 14, 5, 10, 12, 0, 0], [0, 0, 6, 13, 10, 0, 0, 0]]


def test_the_vendored_file_is_the_one_scikit_learn_ships():
    digest = hashlib.sha256(DIGITS_FILE.read_bytes()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == RECORD_SHA256
    assert digest.hex() == DIGITS_SHA256
    # The provenance note states the same checksum.
    assert DIGITS_SHA256 in (DIGITS_FILE.parent / "README.md").read_text(encoding="utf-8")


def test_digit_images_are_the_uci_test_set():
    images, labels = digit_images()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.dtype.kind == "i" and labels.dtype.kind == "i"
    assert images.min() == 0 and images.max() == 16
    assert np.bincount(labels, minlength=10).tolist() == UCI_TEST_COUNTS
    assert images[0].tolist() == FIRST_IMAGE and labels[0] == 0


def test_digits_dataset_scales_the_pixels_into_the_unit_interval():
    images, labels = digit_images()
    d = digits()
    assert d.X.shape == (64, 1797) and d.Y.shape == (10, 1797)
    assert d.X.min() == 0.0 and d.X.max() == 1.0
    # Column i is image i read row by row, each count divided by 16 (exact in binary).
    for i in (0, 1, 1796):
        assert np.array_equal(d.X[:, i].reshape(8, 8) * 16, images[i])
    assert np.array_equal(d.labels, labels)
    assert np.array_equal(d.Y.argmax(axis=0), labels) and np.array_equal(d.Y.sum(axis=0),
                                                                          np.ones(1797))


def test_the_arrays_handed_out_are_copies():
    images, labels = digit_images()
    images[0] = 16
    labels[0] = 9
    again, labels_again = digit_images()
    assert again[0].tolist() == FIRST_IMAGE and labels_again[0] == 0


def gzipped_csv(tmp_path, rows, name="bad.csv.gz"):
    """A digits-like file with the given rows, and its SHA-256."""
    path = tmp_path / name
    text = "\n".join(",".join(str(v) for v in row) for row in rows) + "\n"
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_or_missing_file_is_refused(tmp_path):
    damaged = tmp_path / "digits.csv.gz"
    raw = bytearray(DIGITS_FILE.read_bytes())
    raw[1000] ^= 1
    damaged.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"has SHA-256 [0-9a-f]{64}, not the expected"):
        digits(damaged)
    with pytest.raises(ValueError, match=r"digits file .* is missing; argument 'path' names no"):
        digits(tmp_path / "nowhere.csv.gz")
    with pytest.raises(ValueError, match=r"argument 'path': the file .* cannot be read"):
        digits(tmp_path)  # a folder
    with pytest.raises(TypeError, match="digit_images: argument 'path' must be a file path"):
        digit_images(b"digits.csv.gz")
    with pytest.raises(TypeError, match="digits: argument 'sha256' must be a hex string"):
        digits(None, 1)


@pytest.mark.parametrize(("row", "message"), [
    ([0] * 64, "64 columns per line, not 64 pixels and a label"),
    ([17] + [0] * 63 + [3], "pixel values outside 0..16"),
    ([0] * 64 + [10], "labels outside 0..9"),
    ([-1] + [0] * 63 + [3], "pixel values outside 0..16"),
])
def test_a_file_that_is_no_table_of_digits_is_refused(tmp_path, row, message):
    path, sha = gzipped_csv(tmp_path, [row, row])
    with pytest.raises(ValueError, match=message):
        digits(path, sha)


def test_a_file_that_is_not_gzip_is_refused(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("0," * 64 + "0\n")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ValueError, match="cannot be read as gzip-compressed CSV"):
        digits(path, sha)


def test_split_is_a_seeded_partition():
    d = digits()
    train, test = split(d, 597, seed=0)
    assert train.X.shape == (64, 1200) and test.X.shape == (64, 597)
    order = np.random.default_rng(0).permutation(1797)
    assert np.array_equal(test.labels, d.labels[order[1200:]])
    assert np.array_equal(train.X, d.X[:, order[:1200]])
    assert np.array_equal(train.Y, d.Y[:, order[:1200]])
    # Every example in exactly one part; the same seed gives the same parts, another not.
    columns = {tuple(c) for c in np.concatenate([train.X, test.X], axis=1).T}
    assert len(columns) == len({tuple(c) for c in d.X.T})
    again = split(d, 597, seed=0)[1]
    assert np.array_equal(again.X, test.X)
    assert not np.array_equal(split(d, 597, seed=1)[1].X, test.X)


@pytest.mark.parametrize(("args", "error", "message"), [
    ((blobs(2, 2), 4), ValueError, "'test' is 4, above the limit of 3"),
    ((blobs(2, 2), 0), ValueError, "'test'"),
    ((blobs(2, 2), 1.5), TypeError, "'test'"),
    ((blobs(2, 2), 1, -1), ValueError, "'seed'"),
    (((np.zeros((2, 3)), np.zeros((2, 3)), np.zeros(3)), 1), TypeError, "must be a Dataset"),
])
def test_split_refuses_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        split(*args)
