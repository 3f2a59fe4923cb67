"""A clone in a folder the postgres OS user cannot traverse (a 0700 `mktemp -d`) still runs its own cluster."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from infra.postgres_home import PG_USER
from tests.support.services import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
# Run inside a copy: `python -c` puts the copy's own directory first on sys.path.
START = """import json, sys; from pathlib import Path; import infra
from infra.postgres_local import ensure_postgres
svc = ensure_postgres(Path("var"), port=int(sys.argv[1]))
print(json.dumps({"started": svc.started_here, "pid": svc.pid, "code": infra.__file__}))"""
STOP = (
    "import sys; from pathlib import Path; from infra.postgres_local import stop_postgres; stop_postgres(Path('var'))"
)
REMOVE = "from pathlib import Path; from infra.postgres_home import remove_home; remove_home(Path('var').resolve())"


def _copy_repo(into: Path) -> Path:
    """The project's files (tracked and new, as in the working tree) copied under a private folder."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    clone = into / "shine"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    return clone


def _in_clone(clone: Path, script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=clone, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _start(clone: Path, port: int) -> dict[str, object]:
    started: dict[str, object] = json.loads(_in_clone(clone, START, str(port)))
    return started


async def _fetch(port: int, query: str) -> object:
    conn = await asyncpg.connect(f"postgresql://shine@127.0.0.1:{port}/shine")
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


@pytest.fixture
def clones() -> Iterator[tuple[Path, Path]]:
    """Two copies of the repository, each in its own 0700 temporary folder."""
    folders = [Path(tempfile.mkdtemp(prefix="shine-clone-")) for _ in range(2)]
    made: list[Path] = []
    try:
        for folder in folders:
            assert folder.stat().st_mode & 0o777 == 0o700
            made.append(_copy_repo(folder))
        yield made[0], made[1]
    finally:
        for clone in made:
            # Never leave a server or its files behind, even when the test failed half-way.
            subprocess.run([sys.executable, "-c", STOP], cwd=clone, timeout=90, check=False)
            subprocess.run([sys.executable, "-c", REMOVE], cwd=clone, timeout=30, check=False)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def test_postgres_runs_from_a_clone_its_os_user_cannot_traverse(clones: tuple[Path, Path]) -> None:
    first, second = clones
    if os.geteuid() == 0:
        # The situation of the report: the server's OS user cannot even look inside the clone.
        probe = subprocess.run(["runuser", "-u", PG_USER, "--", "test", "-x", str(first)], check=False)
        assert probe.returncode != 0
    first_port, second_port = free_port(), free_port()

    started = _start(first, first_port)
    assert started["started"] is True and started["pid"]
    assert str(started["code"]).startswith(str(first))
    asyncio.run(_fetch(first_port, "CREATE TABLE kept (id int)"))

    # A second clone gets a cluster of its own.
    assert _start(second, second_port)["started"] is True
    assert asyncio.run(_fetch(second_port, "SELECT to_regclass('kept')::text")) is None

    # `shine down` finds the cluster again; the data survives a restart; logs are in the clone's var/log/.
    _in_clone(first, STOP)
    assert _start(first, first_port)["started"] is True
    assert asyncio.run(_fetch(first_port, "SELECT to_regclass('kept')::text")) == "kept"
    log = (first / "var" / "log" / "postgres.log").read_text()
    assert log.count("database system is ready to accept connections") == 2
