"""A catalog import and the counters: a counter given a department keeps serving the whole
department, and a counter that loses a matter or department is named, in a dry run too.

The steps are a first-time operator's, with real files: a hall file whose [[counters]] give
a department, `queue-hall init`, `catalog export`, a row added or removed, `catalog import`,
`counter list`.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from shared.cli.main import main
from shared.server.store import HallStore, build

HALL_FILE = """\
[hall]
name = "测试大厅"

[server]
db = "hall.db"

[[counters]]
number = 1

[[counters]]
number = 21
services = ["household"]

[[counters]]
number = 22
services = ["household"]

[[counters]]
number = 23
services = ["invoice_issue", "invoice_collect"]
"""

NEW_ROW = [
    "household",
    "H",
    "户籍",
    "Household Registration",
    "new_one",
    "新增测试事项",
    "",
    "",
    "",
]


@pytest.fixture
def hall(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The hall file of a new hall, made with `queue-hall init`."""
    config = tmp_path / "HALL.toml"
    config.write_text(HALL_FILE, encoding="utf-8")
    assert main(["init", "--config", str(config)]) == 0
    capsys.readouterr()
    return config


def exported(config: Path, out: Path) -> list[list[str]]:
    assert main(["catalog", "export", "--config", str(config), "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def written(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def counter_list(config: Path, capsys: pytest.CaptureFixture[str]) -> dict[int, str]:
    capsys.readouterr()
    assert main(["counter", "list", "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    return {int(line.split("\t")[0]): line.split("\t")[4] for line in lines}


def served(config: Path, number: int) -> list[str]:
    store = HallStore(config.parent / "hall.db")
    try:
        return json.loads(store.scalar("SELECT services FROM counters WHERE number = ?", (number,)))
    finally:
        store.close()


def test_counters_given_a_department_serve_the_matter_an_import_adds(hall, tmp_path, capsys):
    assert counter_list(hall, capsys)[21] == "household"
    rows = exported(hall, tmp_path / "good.csv")
    written(tmp_path / "good.csv", [*rows, NEW_ROW])
    capsys.readouterr()

    assert main(["catalog", "import", str(tmp_path / "good.csv"), "--config", str(hall)]) == 0
    printed = capsys.readouterr().out
    assert "added: new_one" in printed
    assert "warning" not in printed  # no assignment changed

    listed = counter_list(hall, capsys)
    assert listed[21] == listed[22] == "household"
    assert listed[23] == "invoice_issue,invoice_collect"
    assert "new_one" in served(hall, 21) and "new_one" in served(hall, 22)
    assert len(served(hall, 21)) == 10


def test_an_import_removing_a_listed_matter_names_the_counter_which_keeps_the_rest(
    hall, tmp_path, capsys
):
    rows = exported(hall, tmp_path / "all.csv")
    kept = [row for row in rows if row[4] != "invoice_collect"]
    file = written(tmp_path / "fewer.csv", kept)
    capsys.readouterr()
    warning = (
        "warning: counter 23 (23号窗口) stops serving invoice_collect, which this file "
        "removes; it keeps invoice_issue"
    )

    assert main(["catalog", "import", str(file), "--config", str(hall), "--dry-run"]) == 0
    assert warning in capsys.readouterr().out
    assert counter_list(hall, capsys)[23] == "invoice_issue,invoice_collect"

    assert main(["catalog", "import", str(file), "--config", str(hall)]) == 0
    printed = capsys.readouterr().out
    assert warning in printed
    assert "counter 21" not in printed and "counter 22" not in printed
    listed = counter_list(hall, capsys)
    assert listed[23] == "invoice_issue,invoice_collect (not in the catalog)"
    assert listed[21] == "household"
    assert served(hall, 23) == ["invoice_issue"]


def test_an_import_removing_a_department_names_its_counters(hall, tmp_path, capsys):
    rows = exported(hall, tmp_path / "all.csv")
    file = written(tmp_path / "no_household.csv", [r for r in rows if r[0] != "household"])
    capsys.readouterr()

    assert main(["catalog", "import", str(file), "--config", str(hall)]) == 0
    printed = capsys.readouterr().out
    for number in (21, 22):
        assert (
            f"warning: counter {number} ({number}号窗口) stops serving household, which this "
            "file removes; it serves nothing then: give it matters with "
            f"`queue-hall counter set-services {number} CODES`"
        ) in printed
    assert counter_list(hall, capsys)[21] == "household (not in the catalog)"
    assert served(hall, 21) == []


def test_set_services_keeps_the_department_for_later_imports(hall, tmp_path, capsys):
    assert main(["counter", "set-services", "23", "tax,household", "--config", str(hall)]) == 0
    rows = exported(hall, tmp_path / "good.csv")
    written(tmp_path / "good.csv", [*rows, NEW_ROW])
    assert main(["catalog", "import", str(tmp_path / "good.csv"), "--config", str(hall)]) == 0
    assert counter_list(hall, capsys)[23] == "tax,household"
    assert "new_one" in served(hall, 23)


def test_the_upgrade_to_version_4_takes_a_whole_department_as_the_department(tmp_path):
    """Older databases kept only matters: a counter with all of a department's matters was
    shown as the department, so it is upgraded to serve the department."""
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path)
    build(conn, 3)
    conn.execute("INSERT INTO categories(code, prefix, name) VALUES ('tax', 'A', '税务')")
    for code in ("vat", "invoice"):
        conn.execute(
            "INSERT INTO services(code, name, category) VALUES (?, ?, 'tax')", (code, code)
        )
    conn.executemany(
        "INSERT INTO counters(number, name, services) VALUES (?, ?, ?)",
        [(1, "1", None), (2, "2", '["vat","invoice"]'), (3, "3", '["invoice"]')],
    )
    conn.commit()
    conn.close()
    store = HallStore(path)
    try:
        rows = [tuple(r) for r in store.all("SELECT number, assigned FROM counters")]
    finally:
        store.close()
    assert rows == [(1, None), (2, '["tax"]'), (3, '["invoice"]')]


def test_an_import_that_brings_a_department_back_gives_its_counters_back(hall, tmp_path, capsys):
    rows = exported(hall, tmp_path / "all.csv")
    without = written(tmp_path / "no_household.csv", [r for r in rows if r[0] != "household"])
    assert main(["catalog", "import", str(without), "--config", str(hall)]) == 0
    assert served(hall, 21) == []

    assert main(["catalog", "import", str(tmp_path / "all.csv"), "--config", str(hall)]) == 0
    listed = counter_list(hall, capsys)
    assert listed[21] == listed[22] == "household"
    assert len(served(hall, 21)) == 9
    store = HallStore(hall.parent / "hall.db")
    try:
        assert store.scalar("SELECT assigned FROM counters WHERE number = 21") == '["household"]'
    finally:
        store.close()


def test_an_import_giving_a_counter_too_many_matters_is_refused(hall, tmp_path, capsys):
    rows = exported(hall, tmp_path / "all.csv")
    household = next(row for row in rows if row[0] == "household")
    many = [[*household[:4], f"extra_{n}", f"加办事项{n}", "", "", f"jb{n}"] for n in range(1000)]
    file = written(tmp_path / "many.csv", [*rows, *many])
    before = served(hall, 21)
    capsys.readouterr()
    for dry_run in ([], ["--dry-run"]):
        assert main(["catalog", "import", str(file), "--config", str(hall), *dry_run]) == 1
        err = capsys.readouterr().err
        for number in (21, 22):
            assert (
                f"counter {number} ({number}号窗口) would serve 1009 matters with this file"
            ) in err
        assert "counter 23" not in err and "nothing was changed" in err
    assert served(hall, 21) == before
    assert main(["catalog", "export", "--config", str(hall)]) == 0
    assert "extra_0" not in capsys.readouterr().out


def _hall_with_counter_24(hall: Path) -> None:
    text = hall.read_text(encoding="utf-8")
    hall.write_text(text + '\n[[counters]]\nnumber = 24\nservices = ["household"]\n', "utf-8")


def test_a_counter_added_to_the_hall_file_later_serves_the_database_catalog(hall, tmp_path):
    from shared.config.hall import load_config
    from shared.domain.clock import SystemClock
    from shared.server.service import HallService

    rows = exported(hall, tmp_path / "good.csv")
    written(tmp_path / "good.csv", [*rows, NEW_ROW])
    assert main(["catalog", "import", str(tmp_path / "good.csv"), "--config", str(hall)]) == 0
    _hall_with_counter_24(hall)

    HallService(HallStore(hall.parent / "hall.db"), load_config(hall), SystemClock()).store.close()
    assert served(hall, 24) == served(hall, 21)
    assert "new_one" in served(hall, 24)


def test_check_names_a_counter_whose_matters_are_not_what_it_is_given(hall, capsys):
    conn = sqlite3.connect(hall.parent / "hall.db")
    conn.execute("""UPDATE counters SET services = '["id_card_temporary"]' WHERE number = 21""")
    conn.commit()
    conn.close()
    capsys.readouterr()

    assert main(["check", "--config", str(hall)]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if "problem" in line]
    assert any(
        line.startswith("problem: counter 21 serves id_card_temporary but is given household")
        for line in problems
    ), problems
    assert not any("counter 22" in line for line in problems)


def test_an_import_moving_a_matter_to_another_department_names_the_counters(hall, tmp_path, capsys):
    rows = exported(hall, tmp_path / "all.csv")
    tax = next(row for row in rows if row[0] == "tax")
    moved = [[*tax[:4], *row[4:]] if row[4] == "id_card_temporary" else row for row in rows]
    file = written(tmp_path / "moved.csv", moved)
    capsys.readouterr()
    warning = (
        "warning: counter {n} ({n}号窗口) stops serving 1 matter this file moves to another "
        "department (id_card_temporary to tax)"
    )
    for dry_run in (["--dry-run"], []):
        assert main(["catalog", "import", str(file), "--config", str(hall), *dry_run]) == 0
        printed = capsys.readouterr().out
        assert warning.format(n=21) in printed and warning.format(n=22) in printed
        assert "counter 23" not in printed
    assert "id_card_temporary" not in served(hall, 21)
