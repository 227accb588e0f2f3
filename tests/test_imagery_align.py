"""Alignment on real data: the drone orthophoto against a degraded "satellite" copy of itself."""

from __future__ import annotations

import os

import numpy as np
import pytest
import rasterio
from pyproj import Transformer

from urban_grid_plugin.errors import InputError
from urban_grid_plugin.imagery.align import align_pair, phase_correlation
from urban_grid_plugin.imagery.synthetic import degrade


@pytest.fixture(scope="module")
def drone(shared_data):
    path = shared_data / "drone_orthophoto" / "dummy_fotomap_small.tif"
    assert path.is_file()
    return str(path)


def expected_shift_in(crs: str, source_crs: str, centre, shift_m) -> tuple[float, float]:
    """A georeference shift (east, north metres in the source CRS) expressed in ``crs``."""
    t = Transformer.from_crs(source_crs, crs, always_xy=True)
    x0, y0 = t.transform(*centre)
    x1, y1 = t.transform(centre[0] + shift_m[0], centre[1] + shift_m[1])
    return x1 - x0, y1 - y0


@pytest.mark.parametrize(("crs", "resolution", "shift_m"), [
    ("EPSG:32633", 0.25, (0.10, 0.05)),
    ("EPSG:4547", 0.5, (0.15, -0.10)),
])
def test_drone_vs_degraded_satellite_recovers_planted_shift(drone, tmp_path, crs, resolution, shift_m):
    satellite = degrade(drone, tmp_path / "sat.tif", resolution=resolution, shift_m=shift_m)
    with rasterio.open(drone) as ds:
        centre = ((ds.bounds.left + ds.bounds.right) / 2, (ds.bounds.bottom + ds.bounds.top) / 2)
        source_crs = ds.crs.to_string()
    result = align_pair(drone, satellite, tmp_path / "aligned", crs=crs, resolution=resolution)
    # The drone (2 cm) is area-averaged onto the satellite grid, not point-sampled.
    assert result.resampling == {"before": "average", "after": "bilinear"}
    want = expected_shift_in(crs, source_crs, centre, shift_m)
    got = result.shift_m
    assert abs(got[0] - want[0]) < 0.3 * resolution and abs(got[1] - want[1]) < 0.3 * resolution, (got, want)
    assert result.normalised
    with rasterio.open(result.before) as b, rasterio.open(result.after) as a:
        assert b.crs.to_string() == crs and a.crs == b.crs
        assert a.transform == b.transform and (a.width, a.height) == (b.width, b.height)
        assert abs(b.res[0] - resolution) < 1e-9
        valid = (b.read_masks(1) > 0) & (a.read_masks(1) > 0)
        assert valid.mean() > 0.3
        # Histogram matching brings the recoloured later epoch back to the earlier one.
        mb = b.read(1)[valid].astype(float).mean()
        ma = a.read(1)[valid].astype(float).mean()
        assert abs(mb - ma) < 6
    if crs == "EPSG:4547":
        assert any("area of use" in w for w in result.warnings)
    assert (tmp_path / "aligned" / "align.json").is_file()


def test_reprojection_to_4547_is_valid(drone, tmp_path):
    """EPSG:32633 data are far outside CM 114E, but the warp is a proper invertible mapping."""
    result = align_pair(drone, drone, tmp_path / "self", crs="EPSG:4547", resolution=0.1, co_register=True)
    assert abs(result.shift_px[0]) < 0.05 and abs(result.shift_px[1]) < 0.05
    with rasterio.open(result.before) as ds:
        west, south, east, north = ds.bounds
        back = Transformer.from_crs("EPSG:4547", "EPSG:32633", always_xy=True)
        x, y = back.transform((west + east) / 2, (south + north) / 2)
    with rasterio.open(drone) as src:
        assert src.bounds.left - 5 < x < src.bounds.right + 5
        assert src.bounds.bottom - 5 < y < src.bounds.top + 5


def test_phase_correlation_sign_and_subpixel():
    rng = np.random.default_rng(1)
    from scipy import ndimage as ndi

    ref = ndi.gaussian_filter(rng.normal(size=(128, 128)), 2)
    moved = ndi.shift(ref, (2.0, -3.0), order=3, mode="wrap")  # content moves down 2, left 3
    dx, dy, quality = phase_correlation(ref, moved)
    assert round(dx) == -3 and round(dy) == 2 and quality > 0.3


# -- bad input: clear error, nothing left behind ---------------------------------------------

def _write(path, data, crs="EPSG:4547", transform=None, nodata=None):
    from affine import Affine

    transform = transform or Affine(0.5, 0, 500000, 0, -0.5, 3400000)
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[2], height=data.shape[1],
                       count=data.shape[0], dtype=data.dtype, crs=crs, transform=transform,
                       nodata=nodata) as ds:
        ds.write(data)
    return str(path)


def _rgb(seed=0, size=64):
    return np.random.default_rng(seed).integers(0, 255, size=(3, size, size), dtype=np.uint8)


def _assert_nothing_written(folder):
    assert not folder.exists() or not any(folder.iterdir()), list(folder.iterdir())


def test_rasters_that_do_not_overlap(tmp_path):
    from affine import Affine

    a = _write(tmp_path / "a.tif", _rgb())
    b = _write(tmp_path / "b.tif", _rgb(1), transform=Affine(0.5, 0, 600000, 0, -0.5, 3400000))
    with pytest.raises(InputError, match="do not overlap"):
        align_pair(a, b, tmp_path / "out")
    _assert_nothing_written(tmp_path / "out")


def test_raster_without_crs(tmp_path):
    a = _write(tmp_path / "a.tif", _rgb())
    b = _write(tmp_path / "b.tif", _rgb(1), crs=None)
    with pytest.raises(InputError, match="no CRS") as err:
        align_pair(a, b, tmp_path / "out")
    assert "b.tif" in str(err.value)
    _assert_nothing_written(tmp_path / "out")


def test_different_band_counts(tmp_path):
    a = _write(tmp_path / "a.tif", _rgb())
    b = _write(tmp_path / "b.tif", _rgb(1)[:1])
    with pytest.raises(InputError, match="different band counts"):
        align_pair(a, b, tmp_path / "out")
    _assert_nothing_written(tmp_path / "out")


def test_all_nodata_overlap(tmp_path):
    a = _write(tmp_path / "a.tif", _rgb())
    b = _write(tmp_path / "b.tif", np.zeros((3, 64, 64), np.uint8), nodata=0)
    with pytest.raises(InputError, match="no valid pixels"):
        align_pair(a, b, tmp_path / "out")
    _assert_nothing_written(tmp_path / "out")


def test_corrupt_tiff(tmp_path):
    a = _write(tmp_path / "a.tif", _rgb(size=256))
    good = (tmp_path / "a.tif").read_bytes()
    bad = tmp_path / "bad.tif"
    bad.write_bytes(good[: len(good) // 3])
    with pytest.raises(InputError, match="corrupt|cannot read"):
        align_pair(a, str(bad), tmp_path / "out")
    garbage = tmp_path / "garbage.tif"
    garbage.write_bytes(b"II*\x00" + os.urandom(500))
    with pytest.raises(InputError, match="corrupt|cannot read"):
        align_pair(a, str(garbage), tmp_path / "out")
    _assert_nothing_written(tmp_path / "out")
