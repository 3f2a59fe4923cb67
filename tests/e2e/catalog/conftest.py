"""The demo storefront as the outside feed the catalog tests import from (started here, on loopback)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.storefront.process import StorefrontProcess, ensure_storefront, stop_storefront
from tests.e2e.conftest import Stack
from tests.support.services import free_port


@pytest.fixture(scope="package")
def storefront(stack: Stack) -> Iterator[StorefrontProcess]:
    var = stack.settings.var_dir / "storefront"
    var.mkdir(exist_ok=True)
    process = ensure_storefront(var, free_port(), log_dir=stack.logs)
    yield process
    stop_storefront(var)
