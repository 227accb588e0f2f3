"""The OpenCV filters of the detector give scipy.ndimage's results (so the evaluated figures hold)."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio

from urban_grid_plugin.imagery import features
from urban_grid_plugin.imagery.detect import detect_changes
from urban_grid_plugin.imagery.synthetic import make_pair

pytestmark = pytest.mark.skipif(features.cv2 is None, reason="OpenCV not installed")


@pytest.fixture
def scipy_only(monkeypatch):
    def run(fn, *args):
        monkeypatch.setattr(features, "USE_CV2", False)
        try:
            return fn(*args)
        finally:
            monkeypatch.setattr(features, "USE_CV2", True)
    return run


@pytest.mark.parametrize("size", [2, 3, 4, 5, 9, 17])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_min_max_box_match_scipy(size, dtype, scipy_only):
    rng = np.random.default_rng(size)
    x = (rng.random((67, 53)) * 255).astype(dtype)
    for fn in (features.min_filter, features.max_filter):
        assert np.array_equal(fn(x, size), scipy_only(fn, x, size)), fn.__name__
    if dtype == np.float32:
        np.testing.assert_allclose(features.box_mean(x, size), scipy_only(features.box_mean, x, size), atol=1e-3)


@pytest.mark.parametrize("size", [2, 3, 4])
def test_binary_opening_and_dilation_match_scipy(size, scipy_only):
    mask = np.random.default_rng(size).random((61, 59)) > 0.4
    assert np.array_equal(features.opening(mask, size), scipy_only(features.opening, mask, size))
    assert np.array_equal(features.dilate(mask, size), scipy_only(features.dilate, mask, size))


def test_detector_output_identical_without_opencv(tmp_path, scipy_only):
    pair = make_pair(tmp_path, bounds=(500000, 3400000, 500200, 3400150), resolution=0.5, buildings=6, seed=7)
    fast = detect_changes(pair["before"], pair["after"], tmp_path / "fast.tif")
    slow = scipy_only(detect_changes, pair["before"], pair["after"], tmp_path / "slow.tif")
    with rasterio.open(fast.path) as a, rasterio.open(slow.path) as b:
        x, y = a.read(1), b.read(1)
    assert (x > 0).sum() > 0
    assert np.array_equal(x > 0, y > 0)
    assert np.abs(x.astype(int) - y).max() <= 1


def test_labels_holes_and_upsampling_match_scipy(scipy_only):
    mask = np.random.default_rng(3).random((80, 70)) > 0.55
    labels, count = features.label(mask)
    ref, ref_count = scipy_only(features.label, mask)
    assert count == ref_count > 1
    # Same objects, possibly numbered in another order.
    pairs = set(zip(labels[mask].tolist(), ref[mask].tolist(), strict=True))
    assert len(pairs) == count and (labels > 0).sum() == mask.sum()
    assert np.array_equal(features.fill_holes(mask), scipy_only(features.fill_holes, mask))
    x = np.random.default_rng(4).random((31, 29)).astype(np.float32)
    assert np.array_equal(features.upsample(x, 2, (61, 58)), scipy_only(features.upsample, x, 2, (61, 58)))
