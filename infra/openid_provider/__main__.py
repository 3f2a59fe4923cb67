"""Run the provider: `python -m infra.openid_provider --port N --client-id ID --client-secret S --redirect-uri U…`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.openid_provider.app import build_app
from infra.openid_provider.grants import Client
from infra.openid_provider.keys import signing_key


def main() -> None:
    """Parse the command line and serve on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m infra.openid_provider", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True, help="a registered redirect URI")
    parser.add_argument("--key-file", type=Path, required=True, help="the RSA signing key (PEM; made if missing)")
    parser.add_argument("--edge-url", default="http://127.0.0.1:8000", help="Shine, for the landing page's hint")
    args = parser.parse_args()
    issuer = f"http://127.0.0.1:{args.port}"
    client = Client(args.client_id, args.client_secret, tuple(args.redirect_uri))
    app = build_app(issuer, client, signing_key(args.key_file), args.edge_url)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
