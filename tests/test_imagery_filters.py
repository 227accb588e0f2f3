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


@pytest.mark.parametrize("masked", [False, True])
def test_fast_averaged_read_matches_gdal(tmp_path, monkeypatch, masked):
    from rasterio.windows import Window

    from urban_grid_plugin.imagery import detect

    path = tmp_path / "img.tif"
    data = np.random.default_rng(5).integers(0, 256, (3, 90, 75)).astype(np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=75, height=90, count=3, dtype="uint8",
                       crs="EPSG:4547", transform=rasterio.Affine(0.5, 0, 500000, 0, -0.5, 3400000)) as ds:
        ds.write(data)
        if masked:
            mask = np.full((90, 75), 255, np.uint8)
            mask[60:, 50:] = 0
            ds.write_mask(mask)
    windows = [Window(0, 0, 40, 40), Window(10, 20, 64, 40), Window(41, 50, 34, 40), Window(0, 0, 75, 90)]
    with rasterio.open(path) as ds:
        for window in windows:
            shape = (-(-int(window.height) // 2), -(-int(window.width) // 2))
            fast = detect._read_tile(ds, [1, 2, 3], window, 2, shape)
            monkeypatch.setattr(detect, "features_cv2", None)
            slow = detect._read_tile(ds, [1, 2, 3], window, 2, shape)
            monkeypatch.undo()
            assert np.array_equal(fast[0], slow[0]), window
            assert np.array_equal(fast[1], slow[1]), window


def test_threads_give_the_sequential_result(tmp_path):
    from urban_grid_plugin.imagery.detect import DetectorParams

    pair = make_pair(tmp_path, bounds=(500000, 3400000, 500200, 3400150), resolution=0.5, buildings=6, seed=9)
    one = detect_changes(pair["before"], pair["after"], tmp_path / "one.tif", params=DetectorParams(threads=1, tile=64))
    two = detect_changes(pair["before"], pair["after"], tmp_path / "two.tif", params=DetectorParams(threads=2, tile=64))
    assert two.tiles > 4 and one.changed_pixels > 0
    with rasterio.open(one.path) as a, rasterio.open(two.path) as b:
        assert np.array_equal(a.read(1), b.read(1))


def test_building_index_matches_numpy(scipy_only):
    rgb = np.random.default_rng(11).integers(0, 256, (3, 120, 90)).astype(np.uint8)
    feats = features.raw_features(rgb, (5, 9, 17))
    stats = features.epoch_stats(rgb, np.ones(rgb.shape[1:], bool), mbi_sizes=(5, 9, 17))
    fast = features.building_index(feats, stats, mbi_weight=0.5, smooth_px=5)
    slow = scipy_only(lambda: features.building_index(feats, stats, mbi_weight=0.5, smooth_px=5))
    assert fast.dtype == slow.dtype == np.float32
    np.testing.assert_allclose(fast, slow, atol=1e-5)
