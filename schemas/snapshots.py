"""Regenerates schemas/openapi.json and schemas/asyncapi.json: `python -m schemas.snapshots`."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.asyncapi import asyncapi_document
from schemas.openapi import openapi_document


def write() -> None:
    """Write both snapshots next to this module."""
    here = Path(__file__).parent
    for name, doc in (("openapi.json", openapi_document()), ("asyncapi.json", asyncapi_document())):
        (here / name).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    write()
