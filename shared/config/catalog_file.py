"""Reading a catalog file: the hall's departments ([[categories]]) and matters ([[services]]).

Every problem raises `ConfigError` naming the file and the line, so a hall's staff can fix
the file they wrote; the same bounds as the kiosk and the board (shared.domain.limits)
apply, so a catalog that loads is one every screen can show.
"""

from __future__ import annotations

import os

from shared.config.rules import CODE_RE, CODE_RULE, PINYIN_RE, PREFIX_RE, PREFIX_RULE, suggest
from shared.config.settings import Catalog, Category, Service
from shared.config.toml_reading import ConfigTable, TomlDocument, first_duplicate, read_document
from shared.domain import limits
from shared.domain.errors import ConfigError

CATEGORY_KEYS = ("code", "prefix", "name", "name_en")
SERVICE_KEYS = ("code", "name", "category", "name_en", "daily_limit", "pinyin")


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Read and check a catalog file ([[categories]] and [[services]])."""
    return parse_catalog(read_document(path))


def parse_catalog(doc: TomlDocument) -> Catalog:
    """The catalog a read TOML document describes."""
    root = ConfigTable(doc, (), "", doc.data)
    if "categories" not in doc.data and {"hall", "server", "counters"} & doc.data.keys():
        raise ConfigError(
            doc.file,
            None,
            "this is a hall file, not a catalog file ([[categories]] and "
            '[[services]]); a hall file names its catalog with catalog = "..."',
        )
    root.check_keys(("categories", "services"))
    category_tables = root.table_array("categories", CATEGORY_KEYS)
    if category_tables is None:
        raise ConfigError(doc.file, None, "the catalog lists no [[categories]]")
    service_tables = root.table_array("services", SERVICE_KEYS)
    if service_tables is None:
        raise ConfigError(doc.file, None, "the catalog lists no [[services]]")

    categories = [_category(table) for table in category_tables]
    _check_counts(category_tables, service_tables)
    for key, values, what in (
        ("code", [c.code for c in categories], "category code"),
        ("prefix", [c.prefix for c in categories], "prefix"),
    ):
        duplicate = first_duplicate(category_tables, key, values, what)
        if duplicate:
            raise duplicate

    category_codes = [category.code for category in categories]
    services = [_service(table, category_codes) for table in service_tables]
    duplicate = first_duplicate(service_tables, "code", [s.code for s in services], "service code")
    if duplicate:
        raise duplicate
    used = {service.category for service in services}
    for table, declared in zip(category_tables, categories, strict=True):
        if declared.code not in used:
            raise table.error(
                None, f'category "{declared.code}" has no [[services]]; add some or remove it'
            )
    return Catalog(tuple(categories), tuple(services))


def _category(table: ConfigTable) -> Category:
    code = table.matching("code", CODE_RE, CODE_RULE, required=True)
    prefix = table.matching("prefix", PREFIX_RE, PREFIX_RULE, required=True)
    assert code is not None and prefix is not None
    return Category(
        code=code,
        prefix=prefix,
        name=table.required_shown_text("name", limits.MAX_CATEGORY_NAME),
        name_en=table.shown_text("name_en", limits.MAX_CATEGORY_NAME_EN, "", empty_ok=True) or "",
    )


def _check_counts(category_tables: list[ConfigTable], service_tables: list[ConfigTable]) -> None:
    if len(category_tables) > limits.MAX_CATEGORIES:
        raise category_tables[limits.MAX_CATEGORIES].error(
            None,
            f"the catalog lists {len(category_tables)} departments; a hall can have at most "
            f"{limits.MAX_CATEGORIES} (a kiosk start screen and a board show them all)",
        )
    if len(service_tables) > limits.MAX_SERVICES:
        raise service_tables[limits.MAX_SERVICES].error(
            None,
            f"the catalog lists {len(service_tables)} matters; a hall can have at most "
            f"{limits.MAX_SERVICES}",
        )


def _service(table: ConfigTable, category_codes: list[str]) -> Service:
    code = table.matching("code", CODE_RE, CODE_RULE, required=True)
    assert code is not None
    category = table.required_text("category")
    if category not in category_codes:
        raise table.error(
            "category",
            f'{table.name("category")} "{category}" is not a category of this catalog'
            + (suggest(category, category_codes) or "; known: " + ", ".join(category_codes)),
        )
    if code in category_codes:
        raise table.error(
            "code", f'service code "{code}" is already a category code; give it another'
        )
    pinyin = (table.text("pinyin", "", empty_ok=True) or "").lower()
    if not PINYIN_RE.fullmatch(pinyin) or len(pinyin) > limits.MAX_PINYIN:
        raise table.error(
            "pinyin",
            f'{table.name("pinyin")} "{pinyin}" must be plain letters (initials like "sbdj"), '
            f"at most {limits.MAX_PINYIN}",
        )
    return Service(
        code=code,
        name=table.required_shown_text("name", limits.MAX_SERVICE_NAME),
        category=category,
        name_en=table.shown_text("name_en", limits.MAX_SERVICE_NAME_EN, "", empty_ok=True) or "",
        daily_limit=table.integer("daily_limit", None, 1, 100_000),
        pinyin=pinyin,
    )
