"""Where a clone's local PostgreSQL cluster keeps its files, so the server's OS user can always reach them.

Run by an ordinary user, the server runs as that user and its files stay under `var/pg/`. Run by root,
the server must run as the `postgres` OS user, who may not traverse the clone's parents (root's home and
`mktemp -d` folders are 0700). Then the cluster lives in `SYSTEM_ROOT/<hash of the var path>/`, owned by
postgres, and `var/pg/data` is a symlink to it: one cluster per clone, found again by `shine down` and the
tests through the link, surviving restarts like the rest of `var/`.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.processes import pid_alive

SYSTEM_ROOT = Path("/var/lib/shine/pg")
PG_USER = "postgres"
RECORD = "clone.txt"


@dataclass(frozen=True)
class ClusterHome:
    """The cluster's data directory (as the server sees it) and its Unix-socket directory."""

    data_dir: Path
    run_dir: Path


def server_user() -> str | None:
    """The OS user the server must run as: postgres when we are root (it refuses root), else ourselves."""
    return PG_USER if os.geteuid() == 0 else None


def _link(var_dir: Path) -> Path:
    return var_dir / "pg" / "data"


def system_home(var_dir: Path) -> Path:
    """The per-clone directory under SYSTEM_ROOT for this var dir (distinct clones, distinct homes)."""
    digest = hashlib.sha256(str(var_dir.resolve()).encode()).hexdigest()[:16]
    return SYSTEM_ROOT / digest


def find_home(var_dir: Path) -> ClusterHome | None:
    """The cluster home recorded under var_dir, if a cluster was made for it."""
    link = _link(var_dir)
    if link.is_symlink():
        data_dir = link.resolve()
        return ClusterHome(data_dir, data_dir.parent / "run")
    if (link / "PG_VERSION").exists():
        return ClusterHome(link, var_dir / "run")
    return None


def postmaster_pid(data_dir: Path) -> int | None:
    """The live postmaster pid recorded in the data dir, if any."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def _own(user: str | None, *paths: Path) -> None:
    if user is not None:
        account = pwd.getpwnam(user)
        for path in paths:
            os.chown(path, account.pw_uid, account.pw_gid)


def _clear_orphan(home: Path) -> None:
    """Remove a home whose var dir link is gone (var/ deleted, or a new clone at the same path)."""
    if not home.exists():
        return
    pid = postmaster_pid(home / "data")
    if pid is not None:
        raise RuntimeError(f"{home} belongs to no var/ dir but its server (pid {pid}) runs: stop it first")
    print(f"postgres: removing {home}, left by a var/ dir that no longer links to it", file=sys.stderr)
    shutil.rmtree(home)


def _free_link(link: Path) -> None:
    """Make room for the link: an empty data dir left by an earlier failed start may stand there."""
    if link.exists() or link.is_symlink():
        if link.is_symlink() or not link.is_dir() or any(link.iterdir()):
            raise RuntimeError(f"{link} is in the way of the cluster link and is not an empty directory")
        link.rmdir()


def prepare_home(var_dir: Path) -> ClusterHome:
    """Find or create the cluster home for var_dir, its directories owned by the server's user."""
    user = server_user()
    home = find_home(var_dir)
    if home is None and user is None:
        home = ClusterHome(_link(var_dir), var_dir / "run")
    elif home is None:
        root = system_home(var_dir)
        _clear_orphan(root)
        (root / "data").mkdir(parents=True, mode=0o700)
        (root / RECORD).write_text(f"PostgreSQL cluster of {var_dir.resolve()}\n")
        _own(user, root, root / "data")
        link = _link(var_dir)
        link.parent.mkdir(parents=True, exist_ok=True)
        _free_link(link)
        link.symlink_to(root / "data", target_is_directory=True)
        home = ClusterHome(root / "data", root / "run")
    for path in (home.data_dir, home.run_dir):
        path.mkdir(parents=True, exist_ok=True)
    _own(user, home.data_dir, home.run_dir)
    return home


def remove_home(var_dir: Path) -> None:
    """Delete the cluster's files (the server must be stopped): the system home and the var/ link."""
    home = find_home(var_dir)
    link = _link(var_dir)
    if link.is_symlink():
        link.unlink()
    if home is not None:
        target = home.data_dir.parent if home.data_dir != link else home.data_dir
        shutil.rmtree(target, ignore_errors=True)
