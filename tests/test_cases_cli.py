"""Cases from imagery candidates, the ``urbangrid cases`` CLI, Processing, code tables, PostGIS DDL."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from urban_grid_plugin.cases.from_candidate import cases_from_candidates
from urban_grid_plugin.cases.schema import TABLES, UG_CASE
from urban_grid_plugin.cases.store import CaseStore
from urban_grid_plugin.cli import main
from urban_grid_plugin.codes import load_classes
from urban_grid_plugin.project import create_project

TZ = ZoneInfo("Asia/Shanghai")
X0, Y0 = 500_000.0, 3_450_000.0


def make_project(path, profile="2013", chips_dir=None):
    """A project with two grid cells and four change candidates (GDAL-written, R-tree indexed)."""
    create_project(path, profile=profile, district_code="320508")
    cells = gpd.GeoDataFrame(
        {"code": ["320508001001001", "320508002001001"], "community_code": ["320508001001", "320508002001"],
         "street_code": ["320508001", "320508002"], "district_code": ["320508"] * 2, "area_m2": [1e4] * 2,
         "init_date": ["2026-01-01"] * 2, "term_date": [None, None], "note": [None, None]},
        geometry=[box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 100, Y0, X0 + 200, Y0 + 100)], crs="EPSG:4547")
    cells.to_file(path, layer="grid_cell")
    chip = None
    if chips_dir is not None:
        chip = str(chips_dir / "after.png")
        with open(chip, "wb") as fh:
            fh.write(b"\x89PNG\r\n\x1a\nafter-chip")
    cands = gpd.GeoDataFrame(
        {"candidate_id": [str(uuid.uuid4()) for _ in range(4)], "area_m2": [400.0, 300.0, 200.0, 100.0],
         "confidence": [0.9, 0.8, 0.7, 0.6], "grid_code": ["320508002001001", None, None, None],
         "street_code": ["320508002", None, None, None], "community_code": [None] * 4,
         "list_status": ["new", "new", "permitted", "new"],
         "review_status": ["confirmed", "confirmed", "confirmed", "pending"],
         "review_note": ["新增彩钢棚", None, None, None], "chip_before": [None] * 4,
         "chip_after": [chip, None, None, None], "epoch_before": ["2025"] * 4, "epoch_after": ["2026"] * 4,
         "case_id": [None] * 4},
        geometry=[box(X0 + 120, Y0 + 10, X0 + 140, Y0 + 30), box(X0 + 10, Y0 + 10, X0 + 30, Y0 + 25),
                  box(X0 + 50, Y0 + 50, X0 + 60, Y0 + 60), box(X0 + 70, Y0 + 70, X0 + 80, Y0 + 80)],
        crs="EPSG:4547")
    cands.to_file(path, layer="change_candidate")
    return cands


@pytest.mark.parametrize("profile, code", [("2013", "0101"), ("2026", "06001")])
def test_cases_from_candidates(tmp_path, profile, code):
    path = tmp_path / "p.gpkg"
    cands = make_project(path, profile, chips_dir=tmp_path)
    store = CaseStore(path)
    cases = cases_from_candidates(store, at=dt.datetime(2026, 11, 23, 9, tzinfo=TZ))
    assert len(cases) == 2  # the permitted and the pending candidates are left alone
    by_cand = {c["candidate_id"]: c for c in cases}
    first = by_cand[cands.candidate_id[0]]
    assert (first["class_code"], first["source"], first["kind"], first["state"]) == (code, "imagery", "event",
                                                                                      "collecting")
    assert load_classes("event", profile)[code].name == "私搭乱建"
    assert first["grid_code"] == "320508002001001" and "新增彩钢棚" in first["description"]
    # Its candidate named only grid and street: the parents follow from the code's prefixes
    # (the server's row-level security filters by district).
    assert (first["community_code"], first["district_code"]) == ("320508002001", "320508")
    # The second candidate had no grid code: the case is located in the unit grid.
    second = by_cand[cands.candidate_id[1]]
    assert (second["grid_code"], second["street_code"]) == ("320508001001001", "320508001")
    assert box(X0 + 10, Y0 + 10, X0 + 30, Y0 + 25).contains(gpd.points_from_xy([second["x"]], [second["y"]])[0])
    # Chips became attachments; the candidate layer got its case_id back.
    assert [a["name"] for a in store.attachments(first["case_id"])] == ["after_after.png"]
    back = pyogrio.read_dataframe(path, layer="change_candidate").set_index("candidate_id")["case_id"]
    assert back[first["candidate_id"]] == first["case_id"]
    assert back[second["candidate_id"]] == second["case_id"]
    assert back.isna().sum() == 2
    # Idempotent: a second run finds nothing new.
    assert cases_from_candidates(store) == []
    # The R-tree of the GDAL-written layer still works after the plain-SQLite update.
    hits = pyogrio.read_dataframe(path, layer="change_candidate", bbox=(X0 + 115, Y0 + 5, X0 + 145, Y0 + 35))
    assert list(hits.candidate_id) == [first["candidate_id"]]


def test_from_candidates_without_layer_is_a_clear_error(tmp_path):
    path = tmp_path / "p.gpkg"
    create_project(path)
    with pytest.raises(Exception, match="no change_candidate layer"):
        cases_from_candidates(CaseStore(path))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["-q", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_round_trip(tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    make_project(path)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff fake jpeg")
    code, out, _ = run(capsys, "cases", "create", path, "--class", "0102", "--x", X0 + 50, "--y", Y0 + 50,
                       "--actor", "监督员甲", "--at", "2026-11-23T09:00:00+08:00", "--photo", photo,
                       "--description", "暴露垃圾")
    assert code == 0
    case_id = out.split()[0]
    assert "信息收集" in out and "320508001001001" in out
    steps = [("立案", "值班长", []), ("dispatch", "dispatcher", ["--assignee", "环境卫生管理处"]),
             ("accept", "专业部门", [])]
    for i, (action, role, extra) in enumerate(steps):
        code, out, _ = run(capsys, "cases", "transition", path, case_id, action, "--actor", "u", "--role", role,
                           "--at", f"2026-11-23T09:{10 + i * 10}:00+08:00", *extra)
        assert code == 0, out
    assert "handling 处置" in out and "feedback 反馈" in out  # new state and next actions
    code, _, err = run(capsys, "cases", "transition", path, case_id, "close", "--actor", "u",
                       "--role", "shift_leader")
    assert code == 1 and "handling 处置" in err and "not allowed" in err and "Traceback" not in err
    code, out, _ = run(capsys, "cases", "show", path, case_id)
    assert code == 0 and "photo.jpg" in out and "report 上报" in out and "accept 签收处置" in out
    code, out, _ = run(capsys, "cases", "overdue", path, "--now", "2026-11-24T12:00:00+08:00")
    assert code == 0 and "1 overdue case(s)" in out and "超期" in out
    code, out, _ = run(capsys, "cases", "list", path, "--state", "处置")
    assert code == 0 and "1 case(s)" in out
    code, out, _ = run(capsys, "cases", "from-candidates", path, "--at", "2026-11-23T10:00:00+08:00")
    assert code == 0 and "2 draft case(s)" in out
    chart, csv_dir = tmp_path / "chart.png", tmp_path / "tables"
    code, out, _ = run(capsys, "cases", "indicators", path, "--from", "2026-11-01", "--to", "2026-12-01",
                       "--now", "2026-11-24T12:00:00+08:00", "--chart", chart, "--csv-dir", csv_dir)
    assert code == 0 and "专业部门" in out and "按期处置率" in out
    assert chart.read_bytes()[:4] == b"\x89PNG"
    with open(csv_dir / "indicators_department.csv", encoding="utf-8-sig") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["专业部门"] == "环境卫生管理处" and row["超时未处置数"] == "1"


def test_cli_rejects_bad_input(tmp_path, capsys):
    path = tmp_path / "p.gpkg"
    create_project(path)
    code, _, err = run(capsys, "cases", "create", path, "--class", "9999", "--x", 1, "--y", 2, "--actor", "a")
    assert code == 1 and "class_code" in err
    code, _, err = run(capsys, "cases", "indicators", path, "--from", "2026-12-01", "--to", "2026-11-01")
    assert code == 1 and "--to must be after --from" in err
    code, _, err = run(capsys, "cases", "list", path, "--state", "done")
    assert code == 1 and "unknown state" in err
    assert CaseStore(path).list_cases() == []


def test_code_tables_for_both_profiles():
    ev13, ev26 = load_classes("event", "2013"), load_classes("event", "2026")
    assert len(ev26) == 250  # GB/T 47678.5-2026 附录C 表C.1
    assert {c.major_name for c in ev13.values()} == {"市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序"}
    assert ev13["0101"].name == "私搭乱建" and ev26["06001"].name == "私搭乱建" and ev26["08016"].name == "无证建设"
    # 2026 matters 01xxx-05xxx mirror every component as "<部件>异常".
    comps = load_classes("component", "2026")
    for code, comp in comps.items():
        assert ev26[code].name == comp.name + "异常"
    assert all(c.department for c in list(ev13.values()) + list(ev26.values()))


@pytest.mark.postgis
def test_postgis_ddl_is_valid(pg_dsn):
    import psycopg

    schema = "ug_cases_ddl_test"
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        con.execute(f'CREATE SCHEMA "{schema}"')
        try:
            for spec in TABLES:
                con.execute(spec.postgis_ddl(schema=schema, foreign_keys=True))
                for stmt in spec.index_ddl("postgres", schema=schema):
                    con.execute(stmt)
            cols = [c for c in UG_CASE.column_names]
            values = {"case_id": str(uuid.uuid4()), "profile": "2013", "kind": "event", "class_code": "0101",
                      "source": "imagery", "urgency": "normal", "state": "collecting", "overdue": 0,
                      "created_at": "2026-11-23T09:00:00+08:00", "updated_at": "2026-11-23T09:00:00+08:00"}
            con.execute(
                f'INSERT INTO "{schema}".ug_case ({", ".join(cols)}, geom) VALUES '
                f'({", ".join(["%s"] * len(cols))}, ST_SetSRID(ST_MakePoint(%s, %s), 4547))',
                [values.get(c) for c in cols] + [X0, Y0],
            )
            with pytest.raises(psycopg.errors.CheckViolation):
                con.execute(f"UPDATE \"{schema}\".ug_case SET state = 'done'")
            srid = con.execute(f'SELECT ST_SRID(geom) FROM "{schema}".ug_case').fetchone()[0]
            assert srid == 4547
        finally:
            con.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def provider(qgis_processing, plugin_package):
    import importlib

    from qgis.core import QgsApplication

    module = importlib.import_module(f"{plugin_package.__name__}.processing.provider")
    registry = QgsApplication.processingRegistry()
    provider = module.UrbanGridProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


def test_processing_algorithms(provider, tmp_path):
    import processing

    path = tmp_path / "p.gpkg"
    make_project(path)
    result = processing.run("urbangrid:cases_from_candidates", {"PROJECT": str(path), "ACTOR": "遥感组"})
    assert result["CREATED"] == 2
    result = processing.run("urbangrid:cases_from_candidates",
                            {"PROJECT": str(path), "INCLUDE_PENDING": True})
    assert result["CREATED"] == 1  # the pending one; confirmed ones already have cases
    result = processing.run("urbangrid:cases_flag_overdue", {"PROJECT": str(path), "NOW": "2099-01-01T00:00:00"})
    assert result["OVERDUE"] == 3
    out = tmp_path / "ind"
    result = processing.run("urbangrid:cases_indicators", {
        "PROJECT": str(path), "FROM": "2000-01-01", "TO": "2100-01-01", "OUTPUT_FOLDER": str(out),
        "CHART": str(tmp_path / "chart.png")})
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in out.iterdir())[0] == "indicators_call_taker.csv"
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="no change_candidate layer"):
        empty = tmp_path / "empty.gpkg"
        create_project(empty)
        processing.run("urbangrid:cases_from_candidates", {"PROJECT": str(empty)})


def test_qgis_opens_edits_and_styles_the_case_layer(qgis_app, tmp_path):
    from pathlib import Path

    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    path = tmp_path / "p.gpkg"
    make_project(path)
    store = CaseStore(path)
    case = store.create_case(actor="a", role="inspector", class_code="0102", x=X0 + 5, y=Y0 + 5)
    store.flag_overdue("2099-01-01T00:00:00+08:00")
    layer = QgsVectorLayer(f"{path}|layername=ug_case", "ug_case", "ogr")
    assert layer.isValid() and layer.featureCount() == 1
    assert layer.crs().authid() == "EPSG:4547"
    qml = Path(__file__).resolve().parents[1] / "layers" / "case.qml"
    _, ok = layer.loadNamedStyle(str(qml))
    assert ok
    rules = layer.renderer().rootRule().children()
    assert len(rules) == 13 and any("overdue" in r.filterExpression() for r in rules)
    feature = next(layer.getFeatures(QgsFeatureRequest()))
    assert feature["case_id"] == case["case_id"] and feature["overdue"] == 1
    # An edit made in QGIS is what the store reads back.
    assert layer.startEditing()
    assert layer.changeAttributeValue(feature.id(), layer.fields().indexOf("description"), "QGIS 编辑")
    assert layer.commitChanges()
    del layer, feature, rules
    assert store.get(case["case_id"])["description"] == "QGIS 编辑"
