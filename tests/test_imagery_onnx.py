"""The ONNX model detector with tiny models the test builds itself (two-input and stacked)."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
import rasterio
from affine import Affine
from onnx import TensorProto, helper

from urban_grid_plugin.errors import InputError
from urban_grid_plugin.imagery.onnx_detector import detect_with_model, load_model

META = {"input_bands": "3", "resolution": "0.5", "tile_size": "64", "overlap": "8", "threshold": "0.5"}


def _diff_nodes(a: str, b: str) -> list:
    """P = sigmoid(40 * (mean_c |a - b| - 0.15)): a bright change → probability near 1."""
    return [
        helper.make_node("Sub", [a, b], ["d"]),
        helper.make_node("Abs", ["d"], ["ad"]),
        helper.make_node("ReduceMean", ["ad"], ["m"], axes=[1], keepdims=1),
        helper.make_node("Sub", ["m", "c"], ["mc"]),
        helper.make_node("Mul", ["mc", "k"], ["z"]),
        helper.make_node("Sigmoid", ["z"], ["prob"]),
    ]


def _save(graph, path, meta=META) -> str:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return str(path)


def _constants():
    return [helper.make_tensor("c", TensorProto.FLOAT, [], [0.15]),
            helper.make_tensor("k", TensorProto.FLOAT, [], [40.0])]


def two_input_model(path, channels=3, size="H") -> str:
    dims = [1, channels, size, size if isinstance(size, int) else "W"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, dims) for n in ("before", "after")]
    out = helper.make_tensor_value_info("prob", TensorProto.FLOAT, [1, 1, dims[2], dims[3]])
    graph = helper.make_graph(_diff_nodes("before", "after"), "diff2", inputs, [out], initializer=_constants())
    return _save(graph, path)


def stacked_model(path) -> str:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6, "H", "W"])
    out = helper.make_tensor_value_info("prob", TensorProto.FLOAT, [1, 1, "H", "W"])
    split = helper.make_tensor("split", TensorProto.INT64, [2], [3, 3])
    nodes = [helper.make_node("Split", ["x", "split"], ["a", "b"], axis=1)] + _diff_nodes("a", "b")
    graph = helper.make_graph(nodes, "diff6", [x], [out], initializer=_constants() + [split])
    return _save(graph, path)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnxpair")
    rng = np.random.default_rng(3)
    before = rng.integers(60, 120, size=(3, 150, 170), dtype=np.uint8)
    after = before.copy()
    after[:, 40:90, 60:130] = 240  # a new bright roof, 25 m × 35 m
    paths = []
    for name, data in (("before", before), ("after", after)):
        path = folder / f"{name}.tif"
        with rasterio.open(path, "w", driver="GTiff", width=170, height=150, count=3, dtype="uint8",
                           crs="EPSG:4547", transform=Affine(0.5, 0, 500000, 0, -0.5, 3400000)) as ds:
            ds.write(data)
        paths.append(str(path))
    return paths


def test_metadata_is_read(tmp_path):
    session, info = load_model(two_input_model(tmp_path / "m.onnx"))
    assert info.layout == "two_input" and info.bands == 3
    assert (info.tile_size, info.overlap, info.threshold, info.resolution) == (64, 8, 0.5, 0.5)
    session, info = load_model(stacked_model(tmp_path / "s.onnx"))
    assert info.layout == "stacked" and info.bands == 3


@pytest.mark.parametrize("builder", [two_input_model, stacked_model])
def test_model_finds_the_change_across_tiles(pair, tmp_path, builder):
    model = builder(tmp_path / "model.onnx")
    result = detect_with_model(pair[0], pair[1], tmp_path / "change.tif", model)
    assert result.tiles > 4  # 170×150 px in 48-px steps: the square spans tile seams
    with rasterio.open(result.path) as ds:
        conf = ds.read(1)
    truth = np.zeros_like(conf, bool)
    truth[40:90, 60:130] = True
    assert (conf[truth] > 0).mean() > 0.99
    assert (conf[~truth] > 0).sum() == 0


def test_two_layouts_agree(pair, tmp_path):
    a = detect_with_model(pair[0], pair[1], tmp_path / "a.tif", two_input_model(tmp_path / "a.onnx"))
    b = detect_with_model(pair[0], pair[1], tmp_path / "b.tif", stacked_model(tmp_path / "b.onnx"))
    with rasterio.open(a.path) as da, rasterio.open(b.path) as db:
        assert np.array_equal(da.read(1), db.read(1))


def test_wrong_input_shape_is_a_clear_error(pair, tmp_path):
    model = two_input_model(tmp_path / "four.onnx", channels=4)
    with pytest.raises(InputError, match="4 input bands|takes 4 bands|input_bands"):
        detect_with_model(pair[0], pair[1], tmp_path / "x.tif", model)
    fixed = two_input_model(tmp_path / "fixed.onnx", size=32)  # metadata says 64
    with pytest.raises(InputError, match="fixed at 32"):
        detect_with_model(pair[0], pair[1], tmp_path / "x.tif", fixed)
    assert not (tmp_path / "x.tif").exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tif"]


def test_not_a_model(tmp_path, pair):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="cannot load ONNX model"):
        detect_with_model(pair[0], pair[1], tmp_path / "x.tif", bad)
