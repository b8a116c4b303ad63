"""What a counter is assigned, and which matters that means for the catalog of the moment.

An operator gives a counter whole departments (by their code: every active matter of the
department, including matters added later) and single matters, in the hall file's
[[counters]] or with `queue-hall counter set-services`. The database keeps both: the
assignment as given (`counters.assigned`) and its matters (`counters.services`), which is
the list the server calls from without looking at the catalog on every call. Whatever
changes the catalog expands each assignment again, so a department's counters serve the
department's new matters too; the assignment itself stays as given, so a department or
matter that a catalog drops and a later one brings back is served again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from shared.config.rules import suggest


def active_catalog(conn: sqlite3.Connection) -> tuple[dict[str, list[str]], dict[str, bool]]:
    """Active services per category code, and every service code with its active flag."""
    by_category: dict[str, list[str]] = {
        code: [] for (code,) in conn.execute("SELECT code FROM categories ORDER BY position, code")
    }
    services: dict[str, bool] = {}
    for code, category, active in conn.execute(
        "SELECT code, category, active FROM services ORDER BY position, code"
    ):
        services[code] = bool(active)
        if active:
            by_category.setdefault(category, []).append(code)
    return by_category, services


def expand_codes(
    codes: Iterable[str], by_category: dict[str, list[str]], services: dict[str, bool]
) -> tuple[list[str], list[str]]:
    """Service codes for category and service codes (as in the hall file), and the problems."""
    expanded: list[str] = []
    problems = []
    for code in codes:
        if code in by_category:
            members = by_category[code]
            if not members:
                problems.append(f'the department "{code}" has no active matters')
        elif code in services:
            members = [code]
            if not services[code]:
                problems.append(f'the matter "{code}" is inactive (no longer in the catalog)')
        else:
            problems.append(
                f'"{code}" is neither a matter nor a department of the catalog'
                + suggest(code, [*services, *by_category])
            )
            continue
        expanded.extend(member for member in members if member not in expanded)
    return expanded, problems


def still_assignable(
    codes: Iterable[str], by_category: dict[str, list[str]], services: dict[str, bool]
) -> tuple[list[str], list[str]]:
    """The codes of an assignment that still mean something (a department with active
    matters, an active matter), and those that no longer do."""
    kept: list[str] = []
    gone: list[str] = []
    for code in codes:
        if by_category.get(code) or services.get(code):
            kept.append(code)
        else:
            gone.append(code)
    return kept, gone


def assignment_matters(
    codes: Iterable[str], by_category: dict[str, list[str]], services: dict[str, bool]
) -> tuple[list[str], list[str]]:
    """The matters an assignment means in this catalog, and its codes that mean nothing in
    it (gone departments and matters): the assignment keeps those, so a catalog that brings
    them back gives them back."""
    kept, gone = still_assignable(codes, by_category, services)
    expanded, _ = expand_codes(kept, by_category, services)
    return expanded, gone


def group_departments(services: list[str], by_category: dict[str, list[str]]) -> list[str]:
    """A list of matters with every whole department's matters replaced by its code."""
    remaining = list(services)
    parts = []
    for category, members in by_category.items():
        if members and all(member in remaining for member in members):
            parts.append(category)
            remaining = [code for code in remaining if code not in members]
    return parts + remaining
