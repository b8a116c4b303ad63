"""How big a hall can be: the catalog file, `catalog import`, `counter set-services` and
`check` refuse what kiosks and boards cannot show, naming the file and line."""

from __future__ import annotations

import csv
import io
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from shared.admin.catalog_csv import CSV_COLUMNS
from shared.admin.county import county_csv
from shared.cli.main import main
from shared.config.hall import ConfigError, load_catalog
from shared.domain import limits


def catalog_file(tmp_path: Path, categories: int = 1, services: int = 1, **names: str) -> Path:
    lines = []
    for n in range(categories):
        prefix = chr(ord("A") + n % 26) + ("" if n < 26 else chr(ord("A") + n // 26))
        lines += ["[[categories]]", f'code = "c{n}"', f'prefix = "{prefix}"',
                  f'name = "{names.get("category", "部门")}"', ""]  # fmt: skip
    for n in range(services):
        lines += ["[[services]]", f'code = "s{n}"', f'name = "{names.get("service", "事项")}"',
                  f'category = "c{n % categories}"', ""]  # fmt: skip
    path = tmp_path / "catalog.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_catalog_file_of_41_departments_is_refused_at_the_41st(tmp_path):
    path = catalog_file(tmp_path, categories=41, services=41)
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    assert caught.value.line == 40 * 5 + 1  # the 41st [[categories]]
    assert "at most 40" in caught.value.problem


def test_5001_matters_are_refused_and_5000_accepted(tmp_path):
    assert len(load_catalog(catalog_file(tmp_path, services=5000)).services) == 5000
    with pytest.raises(ConfigError) as caught:
        load_catalog(catalog_file(tmp_path, services=5001))
    assert "5001 matters" in caught.value.problem and caught.value.line is not None


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        ({"service": "事" * (limits.MAX_SERVICE_NAME + 1)}, "at most 40"),
        ({"category": "部" * (limits.MAX_CATEGORY_NAME + 1)}, "at most 20"),
        ({"service": "事项\\t办理"}, "control character"),
    ],
)
def test_names_too_long_or_with_control_characters_name_the_line(tmp_path, names, problem):
    path = catalog_file(tmp_path, **names)
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    assert problem in caught.value.problem
    assert caught.value.line == (8 if "service" in names else 4)


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def db(tmp_path) -> Path:
    db = tmp_path / "hall.db"
    assert main(["init", "--db", str(db)]) == 0
    return db


def test_import_refuses_a_long_name_with_its_line_and_changes_nothing(db, tmp_path, capsys):
    rows = list(csv.DictReader(io.StringIO(county_csv())))
    rows[10]["service_name"] = "事" * (limits.MAX_SERVICE_NAME + 1)
    rows[20]["service_name_en"] = "x" * (limits.MAX_SERVICE_NAME_EN + 1)
    path = tmp_path / "county.csv"
    path.write_text(csv_text(rows), encoding="utf-8-sig")
    capsys.readouterr()
    assert main(["catalog", "import", str(path), "--db", str(db)]) != 0
    err = capsys.readouterr().err
    assert f"{path}:12: service_name is 41 characters long; at most 40" in err
    assert f"{path}:22: service_name_en is 121 characters long; at most 120" in err
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM services WHERE code LIKE 'hrss%'").fetchone() == (
            0,
        )


def test_import_of_41_departments_is_refused(db, tmp_path, capsys):
    rows = [
        {"category_code": f"d{n}", "category_prefix": chr(65 + n % 26) + chr(65 + n // 26),
         "category_name": f"部门{n}", "service_code": f"m{n}", "service_name": f"事项{n}"}
        for n in range(41)
    ]  # fmt: skip
    path = tmp_path / "wide.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    capsys.readouterr()
    assert main(["catalog", "import", str(path), "--db", str(db)]) != 0
    assert f"{path}:42: the file names 41 departments; a hall can have at most 40" in (
        capsys.readouterr().err
    )


@pytest.fixture
def county_db(tmp_path) -> Path:
    """A hall begun with a one-matter catalog (prefix ZZ), then the county catalog imported."""
    (tmp_path / "start.toml").write_text(
        '[[categories]]\ncode = "start"\nprefix = "ZZ"\nname = "开办"\n\n'
        '[[services]]\ncode = "start_1"\nname = "开办"\ncategory = "start"\n',
        encoding="utf-8",
    )
    hall = tmp_path / "hall.toml"
    hall.write_text('catalog = "start.toml"\n', encoding="utf-8")
    db = tmp_path / "county.db"
    assert main(["init", "--config", str(hall), "--db", str(db)]) == 0
    path = tmp_path / "county.csv"
    path.write_text(county_csv(), encoding="utf-8-sig")
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 0
    return db


def test_the_county_catalog_imports_and_check_finds_a_database_beyond_the_bounds(county_db, capsys):
    db = county_db
    capsys.readouterr()
    main(["check", "--db", str(db)])
    assert "at most" not in capsys.readouterr().out
    with closing(sqlite3.connect(db)) as conn, conn:  # written before the bounds were checked
        conn.execute("UPDATE services SET name = ? WHERE code = 'hrss_01'", ("长" * 50,))
    main(["check", "--db", str(db)])
    printed = capsys.readouterr()
    assert 'the name of matter "hrss_01" is 50 characters long; at most 40' in (
        printed.out + printed.err
    )


def test_a_counter_naming_more_than_1000_matters_is_refused(county_db, capsys):
    db = county_db
    departments = ["hrss", "medical", "civil", "tax", "estate", "land", "market", "police",
                   "agri", "housing", "transport", "health", "education", "veterans", "disabled",
                   "fund", "ecology"]  # fmt: skip
    capsys.readouterr()
    assert main(["counter", "set-services", "--db", str(db), "1", ",".join(departments)]) != 0
    assert "a counter can name at most 1000" in capsys.readouterr().err
