"""The content of one printed ticket: what the kiosk knows when the server issues a number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

LANGUAGES = ("zh_CN", "en")

# Bounds keep a text-mode ticket well under the 1,024 bytes a small printer buffer holds.
MAX_LENGTHS = {"hall": 40, "service_name": 80, "category_name": 40, "notice": 120}

_TICKET_NUMBER = re.compile(r"[A-Za-z0-9-]{1,16}")
QR_PREFIX = "QH1"
# The ticket page's address (web.public_url + /t/ + token): printable ASCII, no spaces.
_QR_URL = re.compile(r"https?://[!-~]{1,200}")


def _check_printable(field: str, value: object, *, allow_newline: bool = False) -> None:
    if not isinstance(value, str):
        raise ValueError(f"ticket {field} must be text, not {type(value).__name__}")
    for position, char in enumerate(value):
        if char == "\n" and allow_newline:
            continue
        # A control byte inside the text would reach the printer as an ESC/POS command.
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise ValueError(
                f"ticket {field} contains a control or unassigned character "
                f"U+{ord(char):04X} at position {position}"
            )


def is_ticket_url(value: object) -> bool:
    """Whether `value` can be printed as the ticket page's address in the QR code."""
    return isinstance(value, str) and _QR_URL.fullmatch(value) is not None


@dataclass(frozen=True)
class TicketSlip:
    """Everything printed on one ticket; validated so that any slip can be laid out."""

    hall: str
    number: str
    service_name: str
    category_name: str
    ahead: int
    est_wait_s: int
    issued_at: datetime
    ticket_id: int
    priority: bool = False
    notice: str = ""
    lang: str = "zh_CN"
    qr_url: str = ""  # the ticket's web page; when empty the QR holds the plain ticket code
    counters: tuple[int, ...] = ()  # the only counters that serve the matter (at most 6)

    def __post_init__(self) -> None:
        if len(self.counters) > 6 or not all(
            isinstance(n, int) and not isinstance(n, bool) and 0 < n < 10_000 for n in self.counters
        ):
            raise ValueError(
                f"ticket counters must be at most 6 counter numbers, not {self.counters!r}"
            )
        for field in ("hall", "service_name", "category_name", "notice"):
            value = getattr(self, field)
            _check_printable(field, value, allow_newline=field == "notice")
            if len(value) > MAX_LENGTHS[field]:
                raise ValueError(
                    f"ticket {field} is {len(value)} characters long; "
                    f"at most {MAX_LENGTHS[field]} fit on a ticket"
                )
        if not self.hall.strip():
            raise ValueError("ticket hall name is empty")
        if not self.service_name.strip():
            raise ValueError("ticket service_name is empty")
        if not isinstance(self.number, str) or not _TICKET_NUMBER.fullmatch(self.number):
            raise ValueError(
                f"ticket number {self.number!r} must be 1-16 ASCII letters, digits or '-'"
            )
        for field in ("ahead", "est_wait_s", "ticket_id"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"ticket {field} must be a whole number >= 0, not {value!r}")
        if not isinstance(self.issued_at, datetime):
            raise ValueError(
                f"ticket issued_at must be a datetime, not {type(self.issued_at).__name__}"
            )
        if not isinstance(self.priority, bool):
            raise ValueError(f"ticket priority must be True or False, not {self.priority!r}")
        if not isinstance(self.qr_url, str) or (self.qr_url and not is_ticket_url(self.qr_url)):
            raise ValueError(
                f"ticket qr_url must be an http(s) address of printable ASCII, not {self.qr_url!r}"
            )
        if self.lang not in LANGUAGES:
            raise ValueError(f"ticket language must be one of {LANGUAGES}, not {self.lang!r}")

    @property
    def qr_payload(self) -> str:
        """What the ticket's QR code holds: the ticket's web page when the hall has one, else
        enough for a counter scanner to find the ticket."""
        if self.qr_url:
            return self.qr_url
        return f"{QR_PREFIX}|{self.ticket_id}|{self.number}|{self.issued_at:%Y-%m-%d}"


_SAMPLE_NOTICE = {
    "zh_CN": "这是一张测试票，不用于排队。",
    "en": "This is a test ticket; it holds no place in the queue.",
}


def sample_slip(lang: str = "zh_CN") -> TicketSlip:
    """A realistic ticket for test prints and previews."""
    return TicketSlip(
        hall="示范区政务服务中心",
        number="A017",
        service_name="城乡居民基本养老保险参保登记",
        category_name="社会保险",
        ahead=5,
        est_wait_s=12 * 60,
        issued_at=datetime.now().replace(microsecond=0),
        ticket_id=0,
        notice=_SAMPLE_NOTICE.get(lang, ""),
        lang=lang,
    )
