"""Run the demo storefront: `python -m infra.storefront --port N [--catalog PATH]` (binds 127.0.0.1 only)."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.storefront.app import build_app
from infra.storefront.generate import CATALOG, load_catalog
from infra.storefront.state import StoreState


def main() -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m infra.storefront", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--catalog", type=Path, default=CATALOG, help="a catalog file in the demo format")
    args = parser.parse_args()
    state = StoreState.of(load_catalog(args.catalog))
    uvicorn.run(build_app(state), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
