"""The OpenAPI document is true: schemathesis, every check, against the running stack, at zero failures.

Routes that end sessions or accounts run on their own, with their own token, so they cannot end the session
the other operations are fuzzed with.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack

pytestmark = pytest.mark.e2e

CONFIG = Path(__file__).with_name("schemathesis.toml")
ALL_PHASES = "examples,coverage,fuzzing,stateful"  # stateful: follows the upload's links to its result
UNLINKED = "examples,coverage,fuzzing"
SESSION_ENDING = (
    r"^(POST /auth/logout|DELETE /auth/sessions/\{session_id\}|POST /admin/users/\{user_id\}/(suspend|role))$"
)


def _schemathesis(
    stack: Stack, token: str, *selection: str, examples: int, phases: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(CONFIG),
            "run",
            f"{stack.base_url}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(examples),
            "--phases",
            phases,
            "--seed",
            "20261203",
            "--workers",
            "2",
            "--request-timeout",
            "20",
            "--header",
            f"Authorization: Bearer {token}",
            "--no-color",
            *selection,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def _assert_clean(done: subprocess.CompletedProcess[str]) -> None:
    tail = (done.stdout + done.stderr)[-6000:]
    assert done.returncode == 0, tail


def test_every_operation_but_the_session_ending_ones(stack: Stack, client: object) -> None:
    token = stack.token("fuzz-admin@example.com", "admin")
    _assert_clean(_schemathesis(stack, token, "--exclude-name-regex", SESSION_ENDING, examples=25, phases=ALL_PHASES))


def test_the_session_ending_operations(stack: Stack, client: object) -> None:
    token = stack.token("fuzz-ender@example.com", "admin")
    _assert_clean(_schemathesis(stack, token, "--include-name-regex", SESSION_ENDING, examples=25, phases=UNLINKED))
