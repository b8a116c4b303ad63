"""Hall settings: the hall and catalog TOML files, their validation, and the defaults.

A hall is described by two TOML files. The hall file (see `shared/config/data/sample_hall.toml`,
which documents every option) holds the name, the server address, the issuing hours, the
announcement texts, the kiosk settings, the counters and the clerks; its top-level key
`catalog` names the catalog file (see `shared/config/data/sample_catalog.toml`) holding the
departments (categories) and matters (services). Relative paths in the hall file are
relative to the hall file itself. The environment variable QUEUE_HALL_KEY sets the hall
key, so the secret need not be written into a file.

This module is the one place the rest of the code imports hall settings from; the work is
done in `settings` (the values and defaults), `rules` (codes, PINs, pinyin, addresses),
`toml_reading` (line-accurate errors), `catalog_file` and `hall_file`.

Every problem in a file raises `ConfigError`, which names the file, the line (as near as
can be found) and the problem; unknown keys get a "did you mean" suggestion.

In the hall file, `[hours] weekdays` counts 1 = Monday ... 7 = Sunday (ISO 8601, and the
way 周一 ... 周日 are numbered); `HallConfig.open_weekdays` holds Python's 0 = Monday.
"""

from __future__ import annotations

from shared.config.catalog_file import load_catalog
from shared.config.hall_file import hall_section, load_config
from shared.config.rules import (
    MAX_PUBLIC_URL,
    parse_counter_range,
    pinyin_initials,
    public_url_problem,
)
from shared.config.settings import (
    ANNOUNCEMENT_FIELDS,
    DATA_DIR,
    DEFAULT_COUNTER_COUNT,
    DEFAULT_PORT,
    KEY_ENV_VAR,
    PAPER_WIDTHS_MM,
    PRINTER_KINDS,
    SAMPLE_CATALOG_PATH,
    SAMPLE_HALL_NAME,
    SAMPLE_HALL_PATH,
    BoardConfig,
    Catalog,
    Category,
    ClerkConfig,
    CounterConfig,
    HallConfig,
    Service,
    default_config,
    sample_catalog,
)
from shared.config.toml_reading import ConfigTable
from shared.domain.errors import ConfigError

__all__ = [
    "ANNOUNCEMENT_FIELDS",
    "DATA_DIR",
    "DEFAULT_COUNTER_COUNT",
    "DEFAULT_PORT",
    "KEY_ENV_VAR",
    "MAX_PUBLIC_URL",
    "PAPER_WIDTHS_MM",
    "PRINTER_KINDS",
    "SAMPLE_CATALOG_PATH",
    "SAMPLE_HALL_NAME",
    "SAMPLE_HALL_PATH",
    "BoardConfig",
    "Catalog",
    "Category",
    "ClerkConfig",
    "ConfigError",
    "ConfigTable",
    "CounterConfig",
    "HallConfig",
    "Service",
    "default_config",
    "hall_section",
    "load_catalog",
    "load_config",
    "parse_counter_range",
    "pinyin_initials",
    "public_url_problem",
    "sample_catalog",
]
