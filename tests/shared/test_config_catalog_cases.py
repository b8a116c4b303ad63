"""Every kind of bad catalog file, one table of cases; and how a file that is missing,
unreadable, swapped or cut short is named."""

from __future__ import annotations

import pickle

import pytest

from shared.config.hall import (
    SAMPLE_CATALOG_PATH,
    SAMPLE_HALL_PATH,
    ConfigError,
    load_catalog,
    load_config,
)
from tests.shared.config_support import MARK, SMALL_CATALOG, marked_line, write


def catalog_with(categories: str = "", services: str = "") -> str:
    return SMALL_CATALOG + categories + services


CATALOG_CASES = [
    (
        "category-code-twice",
        catalog_with('\n[[categories]]\ncode = "tax" ' + MARK + '\nprefix = "K"\nname = "x"\n'),
        'category code "tax" is used twice (also in [[categories]] #2)',
    ),
    (
        "prefix-twice",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "D" ' + MARK + '\nname = "x"\n'),
        'prefix "D" is used twice',
    ),
    (
        "prefix-lowercase",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "k" ' + MARK + '\nname = "x"\n'),
        'prefix "k" is not valid: use 1 or 2 capital letters',
    ),
    (
        "prefix-three-letters",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "KLM" ' + MARK + '\nname = "x"\n'),
        "1 or 2 capital letters",
    ),
    (
        "prefix-digit",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "K1" ' + MARK + '\nname = "x"\n'),
        "1 or 2 capital letters",
    ),
    (
        "category-code-with-space",
        catalog_with('\n[[categories]]\ncode = "civil affairs" ' + MARK + '\nprefix = "C"\n'),
        'code "civil affairs" is not valid',
    ),
    (
        "category-empty-name",
        catalog_with('\n[[categories]]\ncode = "more"\nprefix = "K"\nname = "" ' + MARK + "\n"),
        "[[categories]] #3 name must not be empty",
    ),
    (
        "category-without-services",
        catalog_with("\n[[categories]] " + MARK + '\ncode = "more"\nprefix = "K"\nname = "x"\n'),
        'category "more" has no [[services]]',
    ),
    (
        "service-unknown-category",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "taxes" '
            + MARK
            + "\n"
        ),
        '"taxes" is not a category of this catalog (did you mean "tax"?)',
    ),
    (
        "service-code-twice",
        catalog_with(
            services='\n[[services]]\ncode = "invoice_collect" '
            + MARK
            + '\nname = "发票"\ncategory = "tax"\n'
        ),
        'service code "invoice_collect" is used twice (also in [[services]] #2)',
    ),
    (
        "service-code-is-category-code",
        catalog_with(
            services='\n[[services]]\ncode = "tax" ' + MARK + '\nname = "税"\ncategory = "tax"\n'
        ),
        "is already a category code",
    ),
    (
        "service-typo-key",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nnmae = "增值税申报" '
            + MARK
            + '\ncategory = "tax"\n'
        ),
        'unknown key "nmae" in [[services]] #3 (did you mean "name"?)',
    ),
    (
        "service-missing-category",
        catalog_with(services="\n[[services]] " + MARK + '\ncode = "vat"\nname = "增值税申报"\n'),
        'is missing the key "category"',
    ),
    (
        "daily-limit-zero",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "tax"\n'
            "daily_limit = 0 " + MARK + "\n"
        ),
        "daily_limit 0 is out of range",
    ),
    (
        "daily-limit-text",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "tax"\n'
            'daily_limit = "30" ' + MARK + "\n"
        ),
        "daily_limit must be a whole number",
    ),
    (
        "pinyin-with-tones",
        catalog_with(
            services='\n[[services]]\ncode = "vat"\nname = "增值税申报"\ncategory = "tax"\n'
            'pinyin = "zzsshēn" ' + MARK + "\n"
        ),
        "must be plain letters",
    ),
    (
        "top-level-typo",
        catalog_with(services="\n[[service]] " + MARK + '\ncode = "vat"\n'),
        'unknown table [[service]] (did you mean "services"?)',
    ),
    (
        "categories-as-list-of-strings",
        'categories = ["tax"] ' + MARK + "\n",
        "each starting with [[categories]]",
    ),
    (
        "no-categories",
        '[[services]]\ncode = "vat"\nname = "x"\ncategory = "tax"\n',
        "no [[categories]]",
    ),
    ("no-services", SMALL_CATALOG.split("[[services]]")[0], "no [[services]]"),
    ("catalog-syntax", SMALL_CATALOG + "\n[[services] " + MARK + "\n", "TOML syntax error"),
]


@pytest.mark.parametrize(
    ("text", "problem"),
    [pytest.param(text, problem, id=case) for case, text, problem in CATALOG_CASES],
)
def test_bad_catalog_file_names_file_line_and_problem(tmp_path, text, problem):
    path = write(tmp_path / "catalog.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_catalog(path)
    error = caught.value
    assert error.file == str(path)
    assert error.line == marked_line(text), error
    assert problem in error.problem


def test_bad_catalog_named_by_the_hall_file_is_reported_in_the_catalog_file(tmp_path):
    catalog = write(
        tmp_path / "catalog.toml", SMALL_CATALOG.replace('prefix = "D"', 'prefix = "d"')
    )
    hall = write(tmp_path / "hall.toml", 'catalog = "catalog.toml"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(hall, env={})
    assert caught.value.file == str(catalog)
    assert caught.value.line == 8
    assert 'prefix "d" is not valid' in caught.value.problem


def test_counter_naming_a_service_missing_from_the_hall_catalog(tmp_path):
    write(tmp_path / "catalog.toml", SMALL_CATALOG)
    text = 'catalog = "catalog.toml"\n[[counters]]\nnumber = 1\nservices = ["re_mortgage"]\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "hall.toml", text), env={})
    assert caught.value.line == 4
    assert '"re_mortgage" is neither a service nor a category' in caught.value.problem


def test_hall_and_catalog_files_swapped_are_recognised():
    with pytest.raises(ConfigError, match="this is a catalog file, not a hall file"):
        load_config(SAMPLE_CATALOG_PATH, env={})
    with pytest.raises(ConfigError, match="this is a hall file, not a catalog file"):
        load_catalog(SAMPLE_HALL_PATH)


def test_line_numbers_count_only_newlines(tmp_path):
    # U+2028 inside a string is one line for TOML, though str.splitlines splits there.
    text = '[hall]\nnotice = "一\u2028二"\n[server]\nprot = 1\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "hall.toml", text), env={})
    assert caught.value.line == 4


def test_error_at_end_of_document_points_at_the_last_line(tmp_path):
    text = '[hall]\nname = """白沙\nnotice = "x"\n\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "hall.toml", text), env={})
    assert caught.value.line == 3
    assert "Unterminated string (at the end of the file)" in caught.value.problem


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert (caught.value.file, caught.value.line) == (str(path), None)
    assert str(caught.value) == f"{path}: file not found"


def test_directory_instead_of_file_is_named(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_catalog(tmp_path)
    assert caught.value.file == str(tmp_path)
    assert "cannot read the file" in caught.value.problem


def test_text_that_is_not_utf8_is_named_with_its_line(tmp_path):
    path = tmp_path / "hall.toml"
    path.write_bytes('[hall]\nname = "白沙"\nnotice = "'.encode() + "欢迎".encode("gbk") + b'"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert caught.value.line == 3
    assert "not UTF-8" in caught.value.problem


def test_config_error_survives_pickling():
    error = ConfigError("hall.toml", 7, 'unknown key "prot"')
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file, copy.line, copy.problem) == ("hall.toml", 7, 'unknown key "prot"')
    assert str(copy) == 'hall.toml:7: unknown key "prot"'
