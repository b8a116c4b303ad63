"""Hall key and clerk PIN checks: HMAC of the server nonce, salted PBKDF2 PIN hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PBKDF2_ITERATIONS = 120_000


def new_nonce() -> str:
    return secrets.token_hex(16)


def hello_auth(hall_key: str, nonce: str) -> str:
    """hex(HMAC-SHA256(key=hall_key, msg=nonce)), as a client sends it in `hello`."""
    return hmac.new(hall_key.encode("utf-8"), nonce.encode("ascii"), hashlib.sha256).hexdigest()


def check_hello_auth(hall_key: str, nonce: str, auth: object) -> bool:
    if not isinstance(auth, str) or not auth.isascii():
        return False
    return hmac.compare_digest(hello_auth(hall_key, nonce), auth.strip().lower())


def hash_pin(pin: str, salt: bytes | None = None, iterations: int | None = None) -> str:
    """'pbkdf2_sha256$iterations$salt_hex$hash_hex'."""
    iterations = iterations or PBKDF2_ITERATIONS
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", pin.encode("utf-8"), bytes.fromhex(salt_hex), int(iterations)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


_dummy_hashes: dict[int, str] = {}


def iterations_of(stored: str) -> int | None:
    """The PBKDF2 iteration count of a stored hash, None when it is not one."""
    parts = stored.split("$")
    return int(parts[1]) if len(parts) == 4 and parts[1].isdigit() else None


def check_pin_or_dummy(pin: str, stored: str | None, like: str | None = None) -> bool:
    """check_pin; for an unknown clerk (None) the same work against a dummy hash, then false.

    The dummy costs as many iterations as `like` (a real clerk's hash), so an unknown clerk id
    takes as long to refuse as a real one with a wrong PIN.
    """
    if stored is not None:
        return check_pin(pin, stored)
    iterations = (iterations_of(like) if like else None) or PBKDF2_ITERATIONS
    dummy = _dummy_hashes.get(iterations)
    if dummy is None:
        dummy = _dummy_hashes[iterations] = hash_pin(secrets.token_hex(8), iterations=iterations)
    check_pin(pin, dummy)
    return False


def valid_pin_text(pin: str) -> bool:
    return pin.isdigit() and 4 <= len(pin) <= 8
