"""A local PostgreSQL cluster for a clone, run from the Debian binaries (no Docker); logs in var/log/."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from infra.postgres_home import PG_USER, ClusterHome, find_home, postmaster_pid, prepare_home, server_user
from infra.processes import port_open, start_detached, stop_process, tail, wait_for_port

HOST = "127.0.0.1"
BIN_GLOB = "/usr/lib/postgresql/*/bin/initdb"
# psql scripts: \gexec runs the generated statement only when the object is missing.
ENSURE_ROLE = """SELECT 'CREATE ROLE shine LOGIN SUPERUSER'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shine')\\gexec
"""
ENSURE_DB = """SELECT format('CREATE DATABASE %I OWNER shine', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')\\gexec
"""


@dataclass(frozen=True)
class PostgresService:
    """A reachable cluster, its URL for the app, and whether this call started it."""

    url: str
    pid: int | None
    started_here: bool


def _as_root() -> bool:
    return os.geteuid() == 0


def _run(cmd: list[str], as_pg: bool = False, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a short command, as the postgres OS user when root (postgres refuses it)."""
    if as_pg and _as_root():
        cmd = ["runuser", "-u", PG_USER, "--", *cmd]
    # cwd=/ as the postgres user may not be allowed into the caller's working dir.
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd="/", check=False)


def _find_bin_dir() -> Path | None:
    """The bin dir of the highest installed PostgreSQL major version, if any."""
    initdbs = Path("/").glob(BIN_GLOB.lstrip("/"))
    found = sorted(initdbs, key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def _bin_dir() -> Path:
    """The PostgreSQL bin dir; as root, install the Debian package when missing."""
    found = _find_bin_dir()
    if found is not None:
        return found
    if not _as_root():
        hint = "install them: sudo apt-get install -y postgresql"
        raise RuntimeError(f"PostgreSQL binaries not found ({BIN_GLOB}); {hint}")
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "postgresql"]):
        print(f"postgres: running {' '.join(cmd)}", file=sys.stderr)
        env_cmd = ["env", "DEBIAN_FRONTEND=noninteractive", *cmd]
        subprocess.run(env_cmd, stdin=subprocess.DEVNULL, check=True)
    found = _find_bin_dir()
    if found is None:
        raise RuntimeError(f"apt-get installed postgresql but no {BIN_GLOB}")
    return found


def _initdb(bin_dir: Path, data_dir: Path) -> None:
    """Create the cluster once; trust auth is fine as it only listens on loopback."""
    if (data_dir / "PG_VERSION").exists():
        return
    print(f"postgres: initdb {data_dir}", file=sys.stderr)
    cmd = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", PG_USER, "--auth=trust"]
    done = _run([*cmd, "-E", "UTF8", "--no-locale"], as_pg=True)
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed:\n{done.stdout}{done.stderr}")


def _psql(port: int, script: str, variables: dict[str, str] | None = None) -> None:
    """Run a psql script as the postgres superuser over loopback TCP."""
    bin_dir = _find_bin_dir()
    psql = str(bin_dir / "psql") if bin_dir else "psql"
    cmd = [psql, "-X", "-q", "-w", "-h", HOST, "-p", str(port), "-U", PG_USER]
    cmd += ["-d", "postgres", "-v", "ON_ERROR_STOP=1"]
    for key, value in (variables or {}).items():
        cmd += ["-v", f"{key}={value}"]
    done = _run(cmd, stdin=script)
    if done.returncode != 0:
        raise RuntimeError(f"psql on port {port} failed:\n{done.stdout}{done.stderr}")


def create_database(port: int, name: str) -> None:
    """Create database name, owned by shine, on the local cluster if it is missing."""
    _psql(port, ENSURE_DB, {"name": name})


def _wait_accepting(bin_dir: Path, port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Wait until the server accepts connections (it listens before crash recovery ends)."""
    deadline = time.monotonic() + timeout
    wait_for_port(HOST, port, timeout, proc=proc, log=log)
    ready = [str(bin_dir / "pg_isready"), "-q", "-h", HOST, "-p", str(port), "-t", "2"]
    while _run(ready).returncode != 0:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"postgres on {HOST}:{port} did not become ready; {log}:\n{tail(log)}")
        time.sleep(0.2)


def _start(bin_dir: Path, home: ClusterHome, log: Path, port: int, timeout: float) -> int:
    """Start the postmaster in its own session, its output appended to log; return its pid."""
    cmd = [str(bin_dir / "postgres"), "-D", str(home.data_dir), "-p", str(port), "-k", str(home.run_dir)]
    cmd += ["-c", f"listen_addresses={HOST}"]
    print(f"postgres: starting on {HOST}:{port} (data: {home.data_dir}, log: {log})", file=sys.stderr)
    # The log is opened by us and inherited, so it may sit where the server's user cannot reach.
    proc = start_detached(cmd, log, None, user=server_user(), cwd=home.data_dir)
    try:
        _wait_accepting(bin_dir, port, proc, log, timeout)
    except RuntimeError:
        stop_process(proc.pid, timeout=10, sig=signal.SIGINT)
        raise
    return proc.pid


def postgres_pid(var_dir: Path) -> int | None:
    """The pid of the live local cluster of var_dir, if it runs."""
    home = find_home(var_dir.resolve())
    return None if home is None else postmaster_pid(home.data_dir)


def ensure_postgres(
    var_dir: Path, port: int = 5433, log_dir: Path | None = None, timeout: float = 60
) -> PostgresService:
    """Return a cluster on 127.0.0.1:port with role and db shine; start it if needed."""
    var_dir = var_dir.resolve()
    url = f"postgresql+asyncpg://shine@{HOST}:{port}/shine"
    if port_open(HOST, port):
        pid = postgres_pid(var_dir)
        if pid is not None:
            # Ours: an interrupted earlier run may have left it without role or db.
            _psql(port, ENSURE_ROLE)
            create_database(port, "shine")
        return PostgresService(url, pid, started_here=False)
    log = (log_dir or var_dir / "log").resolve() / "postgres.log"
    bin_dir = _bin_dir()
    home = prepare_home(var_dir)
    _initdb(bin_dir, home.data_dir)
    pid = _start(bin_dir, home, log, port, timeout)
    _psql(port, ENSURE_ROLE)
    create_database(port, "shine")
    print(f"postgres: ready on {HOST}:{port} (pid {pid})", file=sys.stderr)
    return PostgresService(url, pid, started_here=True)


def stop_postgres(var_dir: Path) -> bool:
    """Stop the local cluster of var_dir (fast shutdown); True if one was running."""
    pid = postgres_pid(var_dir)
    # SIGINT is PostgreSQL's fast shutdown: clients are disconnected, then a clean checkpoint.
    return pid is not None and stop_process(pid, timeout=60, sig=signal.SIGINT)
