"""The partner's webhook signature: `Partner-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Partner-Signature"


def signature(body: bytes, secret: str, timestamp: int) -> str:
    """The hex HMAC-SHA256 of `"{timestamp}.{body}"` under secret."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(body: bytes, secret: str, timestamp: int) -> str:
    """The Partner-Signature header value for body signed at timestamp."""
    return f"t={timestamp},v1={signature(body, secret, timestamp)}"
