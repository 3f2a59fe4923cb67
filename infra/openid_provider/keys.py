"""The provider's signing key: an RSA key made once per machine and kept owner-only, so tokens and the keys the
edge has cached stay valid across restarts."""

from __future__ import annotations

import os
from pathlib import Path

from joserfc.jwk import RSAKey


def signing_key(path: Path) -> RSAKey:
    """The RSA key at `path` (PEM), created on first use; its kid is its RFC 7638 thumbprint."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(RSAKey.generate_key(2048).as_pem(private=True))
        tmp.replace(path)
    key = RSAKey.import_key(path.read_bytes())
    return RSAKey.import_key(path.read_bytes(), parameters={"kid": key.thumbprint(), "use": "sig", "alg": "RS256"})
