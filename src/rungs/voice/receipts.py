"""Receipt codes (回执码) and ballot tokens: random codes shown once, stored only as a keyed hash.

The hash is an HMAC keyed with SECRET_KEY, so someone who reads the database cannot test guesses of a code
against it without the key as well. Changing SECRET_KEY makes existing receipts unreadable."""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

# Crockford's base32: no I, L, O, U, so a code read aloud or copied by hand is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 80 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    """A fresh code, grouped by four: 7K2M-QX9D-…"""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalize(code: str) -> str:
    return "".join(c for c in (code or "").upper().translate(_READ_AS) if c in ALPHABET)


def keyed_hash(code: str, purpose: str) -> str:
    return salted_hmac(f"rungs.voice.{purpose}", normalize(code), algorithm="sha256").hexdigest()
