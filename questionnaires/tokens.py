"""Unguessable link tokens. The database only ever holds their SHA-256 hash.

Resume tokens of team-link visitors are random and shown once. Invitation and
team-link tokens are derived from a random per-link salt with an HMAC keyed by
SECRET_KEY, so the consultant can copy a link again and a reminder carries the
same link as the invitation, while a copy of the database alone reveals no
working link. (Rotating SECRET_KEY therefore changes those links.)
"""

import base64
import hashlib
import secrets

from django.utils.crypto import salted_hmac

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """Return (token for the link, hash for the database)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def salt_new() -> str:
    return secrets.token_hex(16)


def token_for_salt(kind: str, salt: str) -> str:
    """The 256-bit token of an invitation or team link, recomputed from its salt."""
    digest = salted_hmac(f"im-assess.{kind}", salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
