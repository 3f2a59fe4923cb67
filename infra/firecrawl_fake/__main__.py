"""Run the fake Firecrawl API: `python -m infra.firecrawl_fake --port N [--pages DIR]` (binds 127.0.0.1 only)."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from infra.firecrawl_fake.app import create_app
from infra.firecrawl_fake.site import PAGES_DIR


def main() -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m infra.firecrawl_fake")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pages", type=Path, default=PAGES_DIR, help="a directory with manifest.json and pages")
    args = parser.parse_args()
    uvicorn.run(create_app(args.pages), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
