"""queue-hall catalog export / import: CSV files as Excel writes them, on a real hall database."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from shared.admin.catalog_csv import CSV_COLUMNS
from shared.cli.main import main
from shared.server.store import HallStore

HEADER = ",".join(CSV_COLUMNS)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hall database made by `queue-hall init` (the sample catalog), copied by each test."""
    db = tmp_path_factory.mktemp("template") / "hall.db"
    assert main(["init", "--db", str(db)]) == 0
    return db


@pytest.fixture
def db(tmp_path: Path, template_db: Path) -> Path:
    copy = tmp_path / "hall.db"
    shutil.copyfile(template_db, copy)
    return copy


def catalog_state(db: Path) -> tuple[list[tuple], list[tuple]]:
    store = HallStore(db)
    try:
        categories = [tuple(r) for r in store.all("SELECT * FROM categories ORDER BY code")]
        services = [tuple(r) for r in store.all("SELECT * FROM services ORDER BY code")]
    finally:
        store.close()
    return categories, services


def export_rows(db: Path, out: Path) -> list[dict[str, str]]:
    assert main(["catalog", "export", "--db", str(db), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def write_rows(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> Path:
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def test_export_is_utf8_with_bom_and_lists_every_active_matter(db, tmp_path, capsys):
    out = tmp_path / "catalog.csv"
    rows = export_rows(db, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "exported 82 matters of 9 departments" in capsys.readouterr().out
    assert len(rows) == 82
    first = rows[0]
    assert (first["category_code"], first["category_prefix"], first["category_name"]) == (
        "social_insurance",
        "A",
        "社会保险",
    )
    assert first["service_name"] == "城乡居民养老保险参保登记" and first["pinyin"]


def test_round_trip_export_import_changes_nothing(db, tmp_path, capsys):
    before = catalog_state(db)
    out = tmp_path / "catalog.csv"
    export_rows(db, out)
    capsys.readouterr()
    assert main(["catalog", "import", str(out), "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "as UTF-8 with BOM" in printed
    assert "matters: 0 added, 0 changed, 0 deactivated, 82 unchanged" in printed
    assert "nothing was changed" in printed
    assert catalog_state(db) == before


def test_import_adds_changes_deactivates_and_swaps_prefixes(db, tmp_path, capsys):
    rows = export_rows(db, tmp_path / "old.csv")
    removed = rows.pop(1)["service_code"]
    rows[0]["service_name"] = "养老保险参保登记（新）"
    rows[0]["daily_limit"] = "40"
    rows.append({**rows[0], "service_code": "pension_new", "service_name": "新事项", "pinyin": ""})
    # social_insurance (A) and medical_insurance (B) swap prefixes: UNIQUE must not trip.
    for row in rows:
        if row["category_code"] == "social_insurance":
            row["category_prefix"] = "B"
        elif row["category_code"] == "medical_insurance":
            row["category_prefix"] = "A"
    capsys.readouterr()
    assert (
        main(["catalog", "import", str(write_rows(tmp_path / "new.csv", rows)), "--db", str(db)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "departments: 0 added, 2 changed" in printed
    assert "matters: 1 added, 1 changed, 1 deactivated" in printed
    assert "next catalog refresh" in printed
    store = HallStore(db)
    try:
        assert store.scalar("SELECT active FROM services WHERE code = ?", (removed,)) == 0
        changed = store.one("SELECT * FROM services WHERE code = ?", (rows[0]["service_code"],))
        assert (changed["name"], changed["daily_limit"]) == ("养老保险参保登记（新）", 40)
        added = store.one("SELECT * FROM services WHERE code = 'pension_new'")
        assert added["active"] == 1 and added["pinyin"] == "xsx"  # derived from 新事项
        assert added["category"] == "social_insurance"
        prefixes = dict(store.all("SELECT code, prefix FROM categories"))
        assert (prefixes["social_insurance"], prefixes["medical_insurance"]) == ("B", "A")
    finally:
        store.close()
    # Importing the same file again finds nothing to do.
    assert main(["catalog", "import", str(tmp_path / "new.csv"), "--db", str(db)]) == 0
    assert "0 added, 0 changed, 0 deactivated" in capsys.readouterr().out


def test_import_reads_gbk_files_saved_by_excel(db, tmp_path, capsys):
    rows = export_rows(db, tmp_path / "old.csv")
    rows[2]["service_name"] = "社保卡补换（改名）"
    path = write_rows(tmp_path / "gbk.csv", rows, encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    capsys.readouterr()
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "as GBK" in printed and "1 changed" in printed
    store = HallStore(db)
    try:
        name = store.scalar("SELECT name FROM services WHERE code = ?", (rows[2]["service_code"],))
    finally:
        store.close()
    assert name == "社保卡补换（改名）"


def test_import_accepts_utf8_without_bom(db, tmp_path, capsys):
    rows = export_rows(db, tmp_path / "old.csv")
    path = write_rows(tmp_path / "plain.csv", rows, encoding="utf-8")
    capsys.readouterr()
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "as UTF-8:" in printed and "0 changed" in printed


def test_dry_run_shows_the_changes_and_changes_nothing(db, tmp_path, capsys):
    before = catalog_state(db)
    rows = export_rows(db, tmp_path / "old.csv")[:10]
    capsys.readouterr()
    path = write_rows(tmp_path / "few.csv", rows)
    assert main(["catalog", "import", str(path), "--db", str(db), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "72 deactivated" in printed and "dry run: nothing was changed" in printed
    assert "medical_insurance" in printed and "are not in the file" in printed
    assert catalog_state(db) == before


A_ROW = "social_insurance,A,社会保险,Social Insurance,pension_enrol,养老保险参保,,,"
B_ROW = "medical_insurance,B,医疗保障,,medical_card,医保卡,,,"

# (case, lines after the header, the line named, words the problem must contain)
BAD_FILES = [
    (
        "lowercase prefix",
        ["social_insurance,a,社会保险,,pension_enrol,养老,,,"],
        2,
        'category_prefix "a"',
    ),
    ("long prefix", [A_ROW, "tax,DDD,税务,,tax_x,纳税,,,"], 3, 'category_prefix "DDD"'),
    (
        "duplicate service",
        [A_ROW, B_ROW, A_ROW.replace("养老保险参保", "重复")],
        4,
        "also on line 2",
    ),
    ("unknown category", [A_ROW, "nowhere,,,,svc1,事项,,,"], 3, 'category "nowhere" is unknown'),
    (
        "inconsistent category",
        [A_ROW, "social_insurance,C,社会保险,Social Insurance,pension_x,事项,,,"],
        3,
        'category_prefix "C" here but "A" on line 2',
    ),
    (
        "prefix used twice",
        [A_ROW, "tax,A,税务,,tax_x,纳税,,,"],
        3,
        'already the prefix of "social_insurance"',
    ),
    (
        "prefix of a department not in the file",
        [A_ROW, "newdept,B,新部门,,new_svc,新事项,,,"],
        3,
        'prefix of the department "medical_insurance"',
    ),
    (
        "limit not a number",
        [A_ROW.replace(",,,", ",,abc,")],
        2,
        'daily_limit "abc" is not a whole number',
    ),
    ("limit zero", [A_ROW.replace(",,,", ",,0,")], 2, "daily_limit 0 is out of range"),
    (
        "empty service name",
        ["social_insurance,A,社会保险,,pension_enrol,,,,"],
        2,
        "service_name is empty",
    ),
    (
        "chinese service code",
        ["social_insurance,A,社会保险,,社保,养老,,,"],
        2,
        'service_code "社保" is not valid',
    ),
    (
        "service code is a category",
        [A_ROW, B_ROW.replace("medical_card", "social_insurance")],
        3,
        "already a category code",
    ),
    ("chinese pinyin", [A_ROW.replace(",,,", ",,,社保")], 2, "must be plain letters"),
    ("empty category code", [",A,社会保险,,pension_enrol,养老,,,"], 2, "category_code is empty"),
    ("extra cells", [A_ROW + ",extra"], 2, "10 cells"),
    (
        "line numbers count quoted line breaks",
        ['social_insurance,A,社会保险,"Social\nInsurance",pension_enrol,养老,,,', B_ROW + ",,x"],
        4,
        "cells",
    ),
    ("no rows", [], 2, "lists no matters"),
]


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_csv_names_line_and_problem_and_changes_nothing(
    db, tmp_path, capsys, lines, line, words
):
    before = catalog_state(db)
    path = tmp_path / "bad.csv"
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"bad.csv:{line}: " in err and words in err, err
    assert "nothing was changed" in err
    assert "Traceback" not in err
    assert catalog_state(db) == before


def test_quoted_line_break_in_a_name_is_refused_at_its_first_line(db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + '\nsocial_insurance,A,社会保险,"社会\n保险",pension_enrol,养老,,,\n'
        + B_ROW
        + "\n",
        encoding="utf-8",
    )
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 1
    assert "bad.csv:2: category_name_en must be one line" in capsys.readouterr().err


# (case, file bytes, the line named or None, words)
BAD_HEADERS_AND_BYTES = [
    ("empty file", b"", 1, "the file is empty"),
    (
        "misspelt column",
        HEADER.replace("service_code", "servce_code").encode(),
        1,
        'did you mean "service_code"',
    ),
    (
        "missing column",
        HEADER.replace(",service_name,", ",").encode() + b"\n" + A_ROW.encode(),
        1,
        'the column "service_name" is missing',
    ),
    ("semicolons", HEADER.replace(",", ";").encode(), 1, "semicolons"),
    (
        "not text",
        (HEADER + "\n" + A_ROW + "\n").encode() + b"x,\xff\xfe\xff,y\n",
        3,
        "neither UTF-8 nor GBK",
    ),
    ("utf-16", (HEADER + "\n").encode("utf-16"), None, "UTF-16"),
]


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [case[1:] for case in BAD_HEADERS_AND_BYTES],
    ids=[case[0] for case in BAD_HEADERS_AND_BYTES],
)
def test_bad_header_or_encoding(db, tmp_path, capsys, data, line, words):
    before = catalog_state(db)
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    where = "bad.csv: " if line is None else f"bad.csv:{line}: "
    assert where in err and words in err, err
    assert catalog_state(db) == before


def test_every_problem_of_a_file_is_reported(db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    lines = [
        HEADER,
        A_ROW,
        "social_insurance,A,社会保险,Social Insurance,bad code,名称,,,",
        A_ROW.replace(",,,", ",,-5,"),
        "nowhere,,,,svc9,事项,,,",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["catalog", "import", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv:3: service_code" in err
    assert "bad.csv:4: daily_limit -5" in err
    assert "bad.csv:5: category" in err
    assert "3 problems" in err


def test_import_and_export_need_an_existing_database(tmp_path, capsys):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(HEADER + "\n" + A_ROW + "\n", encoding="utf-8")
    missing = tmp_path / "none.db"
    assert main(["catalog", "import", str(csv_file), "--db", str(missing)]) == 1
    assert "no hall database" in capsys.readouterr().err
    assert main(["catalog", "export", "--db", str(missing)]) == 1
    assert not missing.exists()


def test_missing_csv_file_is_named(db, tmp_path, capsys):
    assert main(["catalog", "import", str(tmp_path / "nope.csv"), "--db", str(db)]) == 1
    assert "nope.csv: file not found" in capsys.readouterr().err


def test_import_while_the_server_runs_reaches_the_kiosk(hall_server, tmp_path, capsys):
    db = hall_server.db
    with hall_server.client("kiosk", "kiosk-1") as kiosk:
        kiosk.call("issue", service="pension_enrol", req="r1")
        rows = export_rows(db, tmp_path / "old.csv")
        rows.append({**rows[0], "service_code": "pension_new", "service_name": "新事项"})
        capsys.readouterr()
        path = write_rows(tmp_path / "new.csv", rows)
        assert main(["catalog", "import", str(path), "--db", str(db)]) == 0
        assert "1 added" in capsys.readouterr().out
        catalog = kiosk.call("catalog")
        assert "pension_new" in [s["code"] for s in catalog["services"]]
        ticket = kiosk.call("issue", service="pension_new", req="r2")["ticket"]
        assert ticket["number"] == "A002"


# As typed in Excel (a leading ' marks text there), and as the database then holds them.
FORMULA_NAMES = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "'=quoted", "-12", "普通名称"]
STORED = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=quoted", "-12", "普通名称"]


def test_names_that_look_like_formulas_are_exported_as_text_and_import_back(db, tmp_path, capsys):
    rows = export_rows(db, tmp_path / "before.csv")
    for row, name in zip(rows, FORMULA_NAMES, strict=False):
        row["service_name"] = name
        row["pinyin"] = "x"
    write_rows(tmp_path / "named.csv", rows)
    assert main(["catalog", "import", str(tmp_path / "named.csv"), "--db", str(db)]) == 0
    codes = [row["service_code"] for row in rows[: len(STORED)]]
    names = {row[0]: row[1] for row in catalog_state(db)[1]}
    assert [names[code] for code in codes] == STORED
    exported = export_rows(db, tmp_path / "after.csv")
    shown = [row["service_name"] for row in exported[: len(STORED)]]
    assert shown == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'=quoted", "-12", "普通名称"]
    state = catalog_state(db)
    capsys.readouterr()
    assert main(["catalog", "import", str(tmp_path / "after.csv"), "--db", str(db)]) == 0
    assert "0 changed" in capsys.readouterr().out
    assert catalog_state(db) == state  # export then import gives the same names
