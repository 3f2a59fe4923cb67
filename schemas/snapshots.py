"""Regenerates schemas/openapi.json and schemas/asyncapi.json: `python -m schemas.snapshots`.

The OpenAPI document is generated from the edge's route declarations (api_edge/openapi.py); this tool is
the one place under schemas/ that reads them.
"""

from __future__ import annotations

import json
from pathlib import Path

from schemas.asyncapi import asyncapi_document


def write() -> None:
    """Write both snapshots next to this module."""
    from api_edge.openapi import openapi_document

    here = Path(__file__).parent
    for name, doc in (("openapi.json", openapi_document()), ("asyncapi.json", asyncapi_document())):
        (here / name).write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    write()
