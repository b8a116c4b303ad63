"""Reading a catalog CSV file (Excel's "CSV UTF-8" or "CSV" in GBK) and checking it alone.

One row per matter; a department is defined by the first row that gives its prefix and
name, and later rows may leave them empty. Every problem is collected with its line, so
the operator sees all of them at once; the database is not looked at here (see
`shared.admin.catalog_db`).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from shared.admin.spreadsheet import from_cell
from shared.config.hall import ConfigError, pinyin_initials
from shared.config.rules import CODE_RE, CODE_RULE, PINYIN_RE, PREFIX_RE, PREFIX_RULE, suggest
from shared.domain import limits

CSV_COLUMNS = (
    "category_code",
    "category_prefix",
    "category_name",
    "category_name_en",
    "service_code",
    "service_name",
    "service_name_en",
    "daily_limit",
    "pinyin",
)
REQUIRED_COLUMNS = ("category_code", "service_code", "service_name")
DAILY_LIMIT_MAX = 100_000


@dataclass
class CsvProblem:
    line: int
    problem: str


@dataclass
class CsvCategory:
    code: str
    prefix: str  # "" when the file only refers to the category
    name: str
    name_en: str
    line: int  # the first line that defines it (or refers to it)
    defined: bool


@dataclass
class CsvService:
    code: str
    name: str
    name_en: str
    category: str
    daily_limit: int | None
    pinyin: str
    line: int


@dataclass
class CsvCatalog:
    """A catalog read from a CSV file: categories in first-seen order, services in file order."""

    file: str
    encoding: str
    categories: dict[str, CsvCategory] = field(default_factory=dict)
    services: list[CsvService] = field(default_factory=list)
    problems: list[CsvProblem] = field(default_factory=list)

    def problem(self, line: int, text: str) -> None:
        self.problems.append(CsvProblem(line, text))

    def messages(self) -> list[str]:
        return [f"{self.file}:{p.line}: {p.problem}" for p in sorted(self.problems, key=_by_line)]


def _by_line(problem: CsvProblem) -> int:
    return problem.line


def decode_csv(file: str, raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 (with or without BOM) or GBK."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ConfigError(
            file,
            None,
            'the file is UTF-16 ("Unicode text"); save it from Excel as "CSV UTF-8" or "CSV"',
        )
    candidates: tuple[tuple[str, str], ...]
    if raw.startswith(codecs.BOM_UTF8):
        candidates = (("utf-8-sig", "UTF-8 with BOM"),)
    else:
        # GB18030 is the superset of GBK that Excel on Chinese Windows writes as "CSV".
        candidates = (("utf-8", "UTF-8"), ("gb18030", "GBK"))
    failures = []
    for codec, label in candidates:
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError as exc:
            failures.append(exc.start)
    # The encoding that read furthest is the one the file was meant to be in.
    line = raw.count(b"\n", 0, max(failures)) + 1
    raise ConfigError(
        file, line, 'the file is neither UTF-8 nor GBK text; save it from Excel as "CSV UTF-8"'
    )


def read_catalog_csv(path: Path) -> CsvCatalog:
    """Read and check a catalog CSV file on its own (the database is not looked at)."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(file, None, "file not found") from None
    except IsADirectoryError:
        raise ConfigError(file, None, "this is a folder, not a CSV file") from None
    except OSError as exc:
        raise ConfigError(file, None, f"cannot read the file: {exc.strerror or exc}") from None
    text, encoding = decode_csv(file, raw)
    result = CsvCatalog(file, encoding)
    try:
        rows = _csv_records(text)
    except csv.Error as exc:
        result.problem(exc.args[1] if len(exc.args) > 1 else 1, f"not a valid CSV file: {exc}")
        return result
    if not rows:
        result.problem(1, "the file is empty; the first line must name the columns")
        return result
    header_line, header = rows[0]
    columns = _check_header(result, header_line, header)
    if columns is None:
        return result
    for line, record in rows[1:]:
        if not any(cell.strip() for cell in record):
            continue  # Excel writes rows of empty cells below the data
        extra = [cell for cell in record[len(columns) :] if cell.strip()]
        if extra:
            result.problem(
                line,
                f"the row has {len(record)} cells but the first line names {len(columns)} "
                "columns (is a comma missing quotes?)",
            )
            continue
        values = {
            name: (from_cell(record[i].strip()) if i < len(record) else "") for i, name in columns
        }
        _read_row(result, line, values)
    if not result.services and not result.problems:
        result.problem(header_line + 1, "the file lists no matters (services)")
    _check_across_rows(result)
    return result


def _csv_records(text: str) -> list[tuple[int, list[str]]]:
    """The records of a CSV text, each with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    end = 0
    try:
        for record in reader:
            records.append((end + 1, record))
            end = reader.line_num
    except csv.Error as exc:
        raise csv.Error(str(exc), reader.line_num) from None
    return records


def _check_header(result: CsvCatalog, line: int, header: list[str]) -> list[tuple[int, str]] | None:
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        result.problem(
            line,
            "the columns are separated by semicolons or tabs; save the file as CSV with commas",
        )
        return None
    ok = True
    seen: set[str] = set()
    columns = []
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in CSV_COLUMNS:
            result.problem(
                line,
                f'unknown column "{header[index].strip()}"'
                + (suggest(name, CSV_COLUMNS) or "; the columns are " + ", ".join(CSV_COLUMNS)),
            )
            ok = False
        elif name in seen:
            result.problem(line, f'the column "{name}" is named twice')
            ok = False
        seen.add(name)
        columns.append((index, name))
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            result.problem(line, f'the column "{name}" is missing')
            ok = False
    return columns if ok else None


def _read_row(result: CsvCatalog, line: int, values: dict[str, str]) -> None:
    problems_before = len(result.problems)

    def code(column: str) -> str:
        value = values.get(column, "")
        if not value:
            result.problem(line, f"{column} is empty")
        elif not CODE_RE.fullmatch(value):
            result.problem(line, f'{column} "{value}" is not valid: {CODE_RULE}')
        return value

    category_code = code("category_code")
    service_code = code("service_code")
    prefix = values.get("category_prefix", "")
    category_name = values.get("category_name", "")
    category_name_en = values.get("category_name_en", "")
    defines_category = bool(prefix or category_name)
    if defines_category:
        if not prefix:
            result.problem(line, "category_prefix is empty")
        elif not PREFIX_RE.fullmatch(prefix):
            result.problem(line, f'category_prefix "{prefix}" is not valid: {PREFIX_RULE}')
        if not category_name:
            result.problem(line, "category_name is empty")
    service_name = values.get("service_name", "")
    if not service_name:
        result.problem(line, "service_name is empty")
    for column in ("category_name", "category_name_en", "service_name", "service_name_en"):
        if any(char in values.get(column, "") for char in "\r\n\t"):
            result.problem(line, f"{column} must be one line (it holds a line break or a tab)")
    daily_limit: int | None = None
    limit_text = values.get("daily_limit", "")
    if limit_text:
        try:
            daily_limit = int(limit_text)
        except ValueError:
            result.problem(
                line, f'daily_limit "{limit_text}" is not a whole number (leave it empty for none)'
            )
        else:
            if not 1 <= daily_limit <= DAILY_LIMIT_MAX:
                result.problem(
                    line, f"daily_limit {daily_limit} is out of range (1 to {DAILY_LIMIT_MAX})"
                )
    for column, limit in (
        ("category_name", limits.MAX_CATEGORY_NAME),
        ("category_name_en", limits.MAX_CATEGORY_NAME_EN),
        ("service_name", limits.MAX_SERVICE_NAME),
        ("service_name_en", limits.MAX_SERVICE_NAME_EN),
    ):
        problem = limits.text_problem(column, values.get(column, ""), limit)
        if problem and not any(char in values.get(column, "") for char in "\r\n\t"):
            result.problem(line, problem)
    pinyin = values.get("pinyin", "").lower()
    if not PINYIN_RE.fullmatch(pinyin) or len(pinyin) > limits.MAX_PINYIN:
        result.problem(
            line,
            f'pinyin "{pinyin}" must be plain letters (initials like "sbdj"), '
            f"at most {limits.MAX_PINYIN}",
        )
    if len(result.problems) != problems_before:
        return

    known = result.categories.get(category_code)
    if known is None or (defines_category and not known.defined):
        # `line` is where the category is defined, else where it is first referred to.
        result.categories[category_code] = CsvCategory(
            category_code, prefix, category_name, category_name_en, line, defines_category
        )
    elif defines_category:
        for column, here, there in (
            ("category_prefix", prefix, known.prefix),
            ("category_name", category_name, known.name),
            ("category_name_en", category_name_en, known.name_en),
        ):
            if here != there:
                result.problem(
                    line,
                    f'category "{category_code}" has {column} "{here}" here but "{there}" on '
                    f"line {known.line}; every row of a category "
                    "must say the same (or leave its prefix and name empty)",
                )
    result.services.append(
        CsvService(
            service_code,
            service_name,
            values.get("service_name_en", ""),
            category_code,
            daily_limit,
            pinyin or pinyin_initials(service_name),
            line,
        )
    )


def _check_across_rows(result: CsvCatalog) -> None:
    categories = list(result.categories.values())
    if len(categories) > limits.MAX_CATEGORIES:
        result.problem(
            categories[limits.MAX_CATEGORIES].line,
            f"the file names {len(categories)} departments; a hall can have at most "
            f"{limits.MAX_CATEGORIES} (a kiosk start screen and a board show them all)",
        )
    if len(result.services) > limits.MAX_SERVICES:
        result.problem(
            result.services[limits.MAX_SERVICES].line,
            f"the file lists {len(result.services)} matters; a hall can have at most "
            f"{limits.MAX_SERVICES}",
        )
    by_prefix: dict[str, CsvCategory] = {}
    for category in result.categories.values():
        if not category.defined:
            continue
        other = by_prefix.get(category.prefix)
        if other is not None:
            result.problem(
                category.line,
                f'category_prefix "{category.prefix}" of "{category.code}" is already the prefix '
                f'of "{other.code}" (line {other.line}); each department needs its own',
            )
        else:
            by_prefix[category.prefix] = category
    first_line: dict[str, int] = {}
    for service in result.services:
        if service.code in first_line:
            result.problem(
                service.line,
                f'service_code "{service.code}" is used twice (also on line '
                f"{first_line[service.code]})",
            )
        else:
            first_line[service.code] = service.line
        if service.code in result.categories:
            result.problem(
                service.line,
                f'service_code "{service.code}" is already a category code; give it another',
            )
