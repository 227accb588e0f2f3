"""The training-free detector: synthetic new buildings, real LEVIR-CD pairs, tiling, cancel, DSM."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.features import rasterize

from urban_grid_plugin.errors import Cancelled, InputError
from urban_grid_plugin.imagery.detect import DetectorParams, detect_changes
from urban_grid_plugin.imagery.synthetic import make_pair
from urban_grid_plugin.progress import Progress

REPO = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    return make_pair(folder, bounds=(500000, 3400000, 500300, 3400200), resolution=0.5, buildings=10, seed=42)


def _read(path):
    with rasterio.open(path) as ds:
        return ds.read(1), ds.transform


def test_finds_most_new_buildings_and_little_else(pair, tmp_path):
    result = detect_changes(pair["before"], pair["after"], tmp_path / "change.tif")
    conf, transform = _read(result.path)
    assert result.resolution == pytest.approx(1.0)  # features run at 1 m by default
    truth = rasterize([(b.buffer(3), 1) for b in pair["buildings"]], out_shape=conf.shape, transform=transform)
    found = 0
    for building in pair["buildings"]:
        inside = rasterize([(building, 1)], out_shape=conf.shape, transform=transform).astype(bool)
        found += (conf[inside] > 0).mean() > 0.3
    assert found >= 0.7 * len(pair["buildings"])
    false = (conf > 0) & (truth == 0)
    assert false.sum() < 0.2 * (conf > 0).sum()


def test_no_change_means_no_detection(pair, tmp_path):
    result = detect_changes(pair["before"], pair["before"], tmp_path / "same.tif")
    assert result.changed_pixels == 0


def test_tiles_agree_with_one_tile(pair, tmp_path):
    whole = detect_changes(pair["before"], pair["after"], tmp_path / "a.tif", params=DetectorParams(tile=4096))
    tiled = detect_changes(pair["before"], pair["after"], tmp_path / "b.tif",
                           params=DetectorParams(tile=64, halo_m=40))
    assert tiled.tiles > 4
    a, _ = _read(whole.path)
    b, _ = _read(tiled.path)
    inter = ((a > 0) & (b > 0)).sum()
    union = ((a > 0) | (b > 0)).sum()
    assert union > 0 and inter / union > 0.95


def test_worker_processes_give_the_same_raster(pair, tmp_path):
    one = detect_changes(pair["before"], pair["after"], tmp_path / "one.tif", params=DetectorParams(tile=96))
    two = detect_changes(pair["before"], pair["after"], tmp_path / "two.tif",
                         params=DetectorParams(tile=96, workers=2))
    a, _ = _read(one.path)
    b, _ = _read(two.path)
    assert np.array_equal(a, b) and a.any()


class _CancelAfter(Progress):
    def __init__(self, steps):
        self.steps = steps

    def is_cancelled(self):
        self.steps -= 1
        return self.steps < 0


def test_cancel_leaves_no_output(pair, tmp_path):
    out = tmp_path / "cancelled.tif"
    with pytest.raises(Cancelled):
        detect_changes(pair["before"], pair["after"], out, params=DetectorParams(tile=64),
                       progress=_CancelAfter(3))
    assert list(tmp_path.iterdir()) == []


def test_unaligned_pair_is_refused(pair, tmp_path):
    with rasterio.open(pair["after"]) as src:
        data, profile = src.read(), src.profile
    profile["transform"] = Affine(1.0, 0, 500000, 0, -1.0, 3400200)
    profile.update(width=data.shape[2] // 2, height=data.shape[1] // 2)
    with rasterio.open(tmp_path / "coarse.tif", "w", **profile) as dst:
        dst.write(data[:, ::2, ::2])
    with pytest.raises(InputError, match="not on one grid"):
        detect_changes(pair["before"], tmp_path / "coarse.tif", tmp_path / "x.tif")
    assert not (tmp_path / "x.tif").exists()


def test_dsm_height_gain_is_detected_without_colour_change(pair, tmp_path):
    with rasterio.open(pair["before"]) as src:
        profile = dict(src.profile, count=1, dtype="float32", nodata=-9999)
        height, width = src.height, src.width
        transform = src.transform
    ground = np.full((1, height, width), 20.0, np.float32)
    raised = ground.copy()
    block = rasterize([(pair["buildings"][0], 1)], out_shape=(height, width), transform=transform).astype(bool)
    raised[0][block] += 6.0
    for name, data in (("dsm_a.tif", ground), ("dsm_b.tif", raised)):
        with rasterio.open(tmp_path / name, "w", **profile) as dst:
            dst.write(data)
    result = detect_changes(pair["before"], pair["before"], tmp_path / "dsm_change.tif",
                            dsm_before=str(tmp_path / "dsm_a.tif"), dsm_after=str(tmp_path / "dsm_b.tif"))
    conf, t = _read(result.path)
    inside = rasterize([(pair["buildings"][0], 1)], out_shape=conf.shape, transform=t).astype(bool)
    assert (conf[inside] > 0).mean() > 0.5
    assert (conf[~inside] > 0).sum() < 0.2 * inside.sum()


def test_levir_cd_scores_and_no_false_candidates_on_the_no_change_pair(shared_data):
    """Regression guard on the real LEVIR-CD samples (research-only data read from ../shared)."""
    spec = importlib.util.spec_from_file_location("levir_eval", REPO / "scripts" / "eval" / "change_detection.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(shared_data / "levir_cd_samples", DetectorParams(), quiet=True)
    assert result["no_change_false"] == 0
    precision, recall, f1 = result["overall"]["pixel"]
    assert f1 > 0.47, result["overall"]
    assert len(result["rows"]) == 11
