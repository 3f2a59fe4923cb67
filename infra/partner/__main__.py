"""Run a local dropship partner: `python -m infra.partner --port N --webhook-url URL --secret S --name primary`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.partner.app import PartnerConfig, build_app
from infra.partner.store import Store


def main() -> None:
    """Parse the command line and serve on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m infra.partner", description="A local dropship partner (API.md).")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--webhook-url", required=True, help="Shine's webhook for this partner's shipment events")
    parser.add_argument("--secret", required=True, help="the shared HMAC secret that signs webhooks")
    parser.add_argument("--name", default="primary")
    parser.add_argument("--api-key", default=None, help="require `Authorization: Bearer KEY` on /v1")
    parser.add_argument("--state-file", type=Path, default=None, help="mirror the state to this JSON file")
    args = parser.parse_args()
    config = PartnerConfig(args.name, args.webhook_url, args.secret, args.api_key)
    store = Store.load(args.name, args.state_file)
    uvicorn.run(build_app(config, store), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
