"""Unguessable link tokens. Only a SHA-256 hash is stored, never the token itself."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_new() -> tuple[str, str]:
    """Return (token for the link, hash for the database)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)
