"""What the hall file puts into the hall database, and when it may not.

A new database gets the hall file's catalog, counters and clerks. Later starts only add
counters and clerks the file has gained, because from then on the database is the truth
(`queue-hall counter set-services`, `clerk reset-pin`). A database made by the demo is
never served with a hall file's settings, nor the other way round (see `settings_mismatch`).
"""

from __future__ import annotations

import logging

from shared.config.hall import HallConfig, default_config
from shared.domain import limits
from shared.domain.clock import iso
from shared.protocol import auth
from shared.protocol.ticket_token import SECRET_META_KEY, new_secret
from shared.server import queries
from shared.server.assignments import active_catalog, assignment_matters
from shared.server.core import ServiceCore
from shared.server.store import dumps

log = logging.getLogger(__name__)

# Which settings made a database (meta "settings"): only a demo database gets demo settings.
DEMO_SETTINGS, HALL_FILE_SETTINGS = "demo", "hall file"
DEMO_CONFIG = default_config()


def settings_mismatch(db: str, made_with: str | None, config: HallConfig) -> str | None:
    """Why a database made with `made_with` settings does not belong with `config`, or None."""
    given = DEMO_SETTINGS if config.config_path is None else HALL_FILE_SETTINGS
    if made_with is None or made_with == given:
        return None
    if made_with == HALL_FILE_SETTINGS:
        return (
            f"{db} was made from a hall file, but this run has the demo settings (no "
            "--config): the database's clerks, counters and hall name are kept as they are, "
            "no demo clerks are added; give the hall file with --config FILE"
        )
    return (
        f"{db} was made by the demo (demo clerks with published PINs), but this run has "
        f"the hall file {config.config_path}: nothing of the hall file's clerks, "
        "counters or hall name is applied; make the hall's own database with "
        "`queue-hall init --config FILE`"
    )


class Seeding(ServiceCore):
    """Seeds a new database from the hall file and keeps an old one in step with it."""

    def seed(self) -> None:
        cfg = self.config
        now = iso(self.clock.now())
        with self.store.transaction() as conn:
            for pos, cat in enumerate(cfg.catalog.categories):
                queries.insert_category(conn, cat.code, cat.prefix, cat.name, cat.name_en, pos)
            for pos, svc in enumerate(cfg.catalog.services):
                queries.insert_service(
                    conn,
                    svc.code,
                    svc.name,
                    svc.name_en,
                    svc.category,
                    svc.daily_limit,
                    svc.pinyin,
                    pos,
                )
            self.store.set_meta("hall", cfg.hall_name)
            self.store.set_meta("settings", self.settings_origin())
            self.store.set_meta("seq", "0")
            self.store.set_meta("created_at", now)
        self.sync_counters(overwrite=True)

    def web_token_secret(self) -> str:
        """The secret of the tickets' web tokens: made once, kept in the hall database."""
        secret = self.store.get_meta(SECRET_META_KEY)
        if not secret:
            secret = new_secret()
            with self.store.transaction():
                self.store.set_meta(SECRET_META_KEY, secret)
        return secret

    def settings_origin(self) -> str:
        """What settings this run has: the demo's built-in ones, or a hall file's."""
        return DEMO_SETTINGS if self.config.config_path is None else HALL_FILE_SETTINGS

    def check_settings_origin(self) -> str | None:
        """None when the database was made with the kind of settings given now, else why not.

        A database made from a hall file and served without `--config` must not get the
        demo's clerks (with published PINs), counters or hall name, nor the other way round.
        """
        made_with = self.store.get_meta("settings")
        if made_with is None:  # made before this was recorded: judge by what it holds
            demo_ids = {clerk.id for clerk in DEMO_CONFIG.clerks}
            clerks = queries.clerk_ids(self.conn)
            # The demo always adds its clerks: a hall with none of them was not the demo's.
            looks_demo = (
                self.store.get_meta("hall") == DEMO_CONFIG.hall_name
                and bool(clerks)
                and clerks <= demo_ids
            )
            made_with = DEMO_SETTINGS if looks_demo else HALL_FILE_SETTINGS
            with self.store.transaction():
                self.store.set_meta("settings", made_with)
        return settings_mismatch(self.store.path, made_with, self.config)

    def sync_counters(self, overwrite: bool = False) -> None:
        """Counters come from the configuration at first start; later starts only add new ones.

        After that the database is the truth (`queue-hall counter set-services`), so a restart
        never undoes what the hall changed while serving.
        """
        with self.store.transaction() as conn:
            # The database's catalog, which imports may have changed since the hall file's.
            by_category, services = active_catalog(conn)
            known = {number for (number,) in conn.execute("SELECT number FROM counters")}
            for c in self.config.counters:
                if c.number in known and not overwrite:
                    continue
                if c.services is None:
                    queries.put_counter(conn, c.number, c.name, None, None, overwrite)
                    continue
                assigned = c.services if c.assigned is None else c.assigned
                matters, gone = assignment_matters(assigned, by_category, services)
                if gone:
                    log.warning(
                        "counter %s of the hall file names %s, not in the database's catalog",
                        c.number,
                        ", ".join(gone),
                    )
                if len(matters) > limits.MAX_COUNTER_SERVICES:
                    log.warning(
                        "counter %s would serve %s matters with the database's catalog; it "
                        "serves the first %s (queue-hall counter set-services changes it)",
                        c.number,
                        len(matters),
                        limits.MAX_COUNTER_SERVICES,
                    )
                    matters = matters[: limits.MAX_COUNTER_SERVICES]
                queries.put_counter(
                    conn,
                    c.number,
                    c.name,
                    dumps(list(assigned)),
                    dumps(matters),
                    overwrite,
                )

    def add_missing_clerks(self) -> None:
        known = queries.clerk_ids(self.conn)
        missing = [c for c in self.config.clerks if c.id not in known]
        if not missing:
            return
        with self.store.transaction() as conn:
            for clerk in missing:
                queries.insert_clerk(
                    conn, clerk.id, clerk.name, auth.hash_pin(clerk.pin), iso(self.clock.now())
                )

    def hall_name(self, apply_config: bool) -> str:
        """The hall's name: the hall file's (stored when it changed, if `apply_config`)."""
        name = self.config.hall_name
        stored = self.store.get_meta("hall", name) or name
        if stored == name or not apply_config:
            return stored
        with self.store.transaction():
            self.store.set_meta("hall", name)
        return name
