"""The ticket's web token: a short, unguessable name for one ticket, printed in its QR code.

    token = base32(ticket id) + first MAC_CHARS of base32(HMAC-SHA256(secret, "<id>|<day>"))

in the lower-case RFC 4648 alphabet (a-z, 2-7), e.g. "bq" + "k3j7xw2mvd4p" for ticket 48.
The id part lets the server find the ticket without a lookup table; the MAC part (60 bits)
proves the token was made by the server for that ticket on that day, so nobody can page
through other residents' tickets by changing a digit. Only the hall server holds the secret
(in its database); `queue-hall web` passes tokens through and never sees it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
MAC_CHARS = 12  # 60 bits
MAX_ID_CHARS = 11  # 2**53 in base 32
MAX_TOKEN_CHARS = MAC_CHARS + MAX_ID_CHARS
TOKEN_RE = re.compile(f"[a-z2-7]{{{MAC_CHARS + 1},{MAX_TOKEN_CHARS}}}")
SECRET_META_KEY = "web_token_secret"


def new_secret() -> str:
    return secrets.token_hex(32)


def _id_text(ticket_id: int) -> str:
    digits = []
    while True:
        ticket_id, rest = divmod(ticket_id, 32)
        digits.append(ALPHABET[rest])
        if not ticket_id:
            return "".join(reversed(digits))


def _mac(secret: str, ticket_id: int, day: str) -> str:
    digest = hmac.new(secret.encode(), f"{ticket_id}|{day}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:MAC_CHARS]


def make_token(secret: str, ticket_id: int, day: str) -> str:
    return _id_text(ticket_id) + _mac(secret, ticket_id, day)


def normalize(token: str) -> str | None:
    """The token in its canonical (lower-case) form, or None when it cannot be a token."""
    token = token.strip().lower()
    return token if TOKEN_RE.fullmatch(token) else None


def ticket_id_of(token: str) -> int | None:
    """The ticket id a well-formed token names (not yet checked against its MAC)."""
    canonical = normalize(token)
    if canonical is None:
        return None
    value = 0
    for char in canonical[:-MAC_CHARS]:
        value = value * 32 + ALPHABET.index(char)
    return value


def verify(secret: str, token: str, ticket_id: int, day: str) -> bool:
    canonical = normalize(token)
    return canonical is not None and hmac.compare_digest(
        canonical, make_token(secret, ticket_id, day)
    )
