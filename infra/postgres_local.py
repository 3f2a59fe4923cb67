"""A local PostgreSQL cluster under var/, run from the Debian binaries (no Docker)."""

from __future__ import annotations

import os
import pwd
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.processes import pid_alive, port_open, tail, wait_for_port

HOST = "127.0.0.1"
PG_USER = "postgres"
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


def _chown_to_pg(*paths: Path) -> None:
    if _as_root():
        account = pwd.getpwnam(PG_USER)
        for path in paths:
            os.chown(path, account.pw_uid, account.pw_gid)


def _prepare_dirs(var_dir: Path, log: Path) -> tuple[Path, Path]:
    """Create the data dir, socket dir and log file (owned by postgres when root)."""
    data_dir, run_dir = var_dir / "pg" / "data", var_dir / "run"
    for path in (data_dir, run_dir, log.parent):
        path.mkdir(parents=True, exist_ok=True)
    log.touch()
    _chown_to_pg(data_dir, run_dir, log)
    if _as_root():
        paths = (data_dir, run_dir, log)
        check = ["test", "-w", str(data_dir), "-a", "-w", str(run_dir)]
        check += ["-a", "-w", str(log)]
        if _run(check, as_pg=True).returncode != 0:
            hint = "make their parents traversable (chmod o+x) or use another var dir"
            raise RuntimeError(f"OS user {PG_USER} cannot write {paths}: {hint}")
    return data_dir, run_dir


def _initdb(bin_dir: Path, data_dir: Path) -> None:
    """Create the cluster once; trust auth is fine as it only listens on loopback."""
    if (data_dir / "PG_VERSION").exists():
        return
    print(f"postgres: initdb {data_dir}", file=sys.stderr)
    cmd = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", PG_USER, "--auth=trust"]
    done = _run([*cmd, "-E", "UTF8", "--no-locale"], as_pg=True)
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed:\n{done.stdout}{done.stderr}")


def _postmaster_pid(data_dir: Path) -> int | None:
    """The live postmaster pid recorded in the data dir, if any."""
    try:
        pid = int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


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


def _start(bin_dir: Path, data_dir: Path, run_dir: Path, log: Path, port: int, timeout: float) -> None:
    """Start the postmaster with pg_ctl, which detaches it into its own session."""
    options = f"-p {port} -k {shlex.quote(str(run_dir))} -c listen_addresses={HOST}"
    cmd = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log), "-o", options]
    print(f"postgres: starting on {HOST}:{port} (log: {log})", file=sys.stderr)
    done = _run([*cmd, "-w", "-t", str(int(timeout)), "start"], as_pg=True)
    if done.returncode != 0:
        output = f"{done.stdout}{done.stderr}"
        raise RuntimeError(f"pg_ctl start failed:\n{output}\n{log}:\n{tail(log)}")
    wait_for_port(HOST, port, timeout, log=log)


def ensure_postgres(
    var_dir: Path, port: int = 5433, log_dir: Path | None = None, timeout: float = 60
) -> PostgresService:
    """Return a cluster on 127.0.0.1:port with role and db shine; start it if needed."""
    var_dir = var_dir.resolve()
    url = f"postgresql+asyncpg://shine@{HOST}:{port}/shine"
    data_dir = var_dir / "pg" / "data"
    if port_open(HOST, port):
        pid = _postmaster_pid(data_dir)
        if pid is not None:
            # Ours: an interrupted earlier run may have left it without role or db.
            _psql(port, ENSURE_ROLE)
            create_database(port, "shine")
        return PostgresService(url, pid, started_here=False)
    log = (log_dir or var_dir / "log").resolve() / "postgres.log"
    bin_dir = _bin_dir()
    data_dir, run_dir = _prepare_dirs(var_dir, log)
    _initdb(bin_dir, data_dir)
    _start(bin_dir, data_dir, run_dir, log, port, timeout)
    _psql(port, ENSURE_ROLE)
    create_database(port, "shine")
    pid = _postmaster_pid(data_dir)
    print(f"postgres: ready on {HOST}:{port} (pid {pid})", file=sys.stderr)
    return PostgresService(url, pid, started_here=True)


def stop_postgres(var_dir: Path) -> bool:
    """Stop the cluster under var_dir (pg_ctl stop -m fast); True if one was running."""
    data_dir = var_dir.resolve() / "pg" / "data"
    bin_dir = _find_bin_dir()
    if bin_dir is None or _postmaster_pid(data_dir) is None:
        return False
    cmd = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "stop"]
    done = _run(cmd, as_pg=True)
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctl stop failed:\n{done.stdout}{done.stderr}")
    return True
