"""Helpers for long-running local services: ports, pid files, detached start, stop."""

from __future__ import annotations

import os
import pwd
import signal
import socket
import subprocess
import time
from collections import deque
from pathlib import Path

# Popen objects of the services this interpreter started: holding them avoids
# "subprocess still running" ResourceWarnings and lets stop_pid reap the child.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def port_open(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def tail(log: Path | None, lines: int = 40) -> str:
    """The last lines of a log file, or a note that there is none."""
    if log is None or not log.exists():
        return "(no log)"
    with log.open("r", encoding="utf-8", errors="replace") as handle:
        return "".join(deque(handle, maxlen=lines))


def wait_for_port(
    host: str,
    port: int,
    timeout: float,
    proc: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> None:
    """Wait for host:port to listen; RuntimeError if proc dies or time runs out."""
    deadline = time.monotonic() + timeout
    while not port_open(host, port):
        if proc is not None and proc.poll() is not None:
            code = proc.returncode
            where = f"{host}:{port}; last lines of {log}:\n{tail(log)}"
            raise RuntimeError(f"process {proc.pid} exited ({code}) before listening on {where}")
        if time.monotonic() > deadline:
            where = f"{host}:{port} after {timeout:g}s; last lines of {log}"
            raise RuntimeError(f"nothing listens on {where}:\n{tail(log)}")
        time.sleep(0.2)


def start_detached(
    cmd: list[str],
    log_file: Path,
    pid_file: Path | None,
    env: dict[str, str] | None = None,
    user: str | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start cmd in its own session, output appended to log_file; record its pid in pid_file if given."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    account = pwd.getpwnam(user) if user is not None else None
    with log_file.open("ab") as out:
        if account is not None:
            os.chown(log_file, account.pw_uid, account.pw_gid)
        # A new session keeps a Ctrl-C in the caller's terminal from reaching it.
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )
    _CHILDREN[proc.pid] = proc
    if pid_file is None:
        return proc
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = pid_file.with_suffix(".tmp")
    tmp.write_text(f"{proc.pid}\n")
    tmp.replace(pid_file)
    return proc


def pid_alive(pid: int) -> bool:
    """Whether pid names a live (not zombie) process."""
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _CHILDREN[pid]  # reaped: forget it so a reused pid is not mistaken for it
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    # The state letter follows the parenthesised command name; Z is an unreaped zombie.
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def read_pid(pid_file: Path) -> int | None:
    """The pid in pid_file, or None if the file is missing or the process is gone."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def _wait_gone(pid: int, timeout: float) -> bool:
    """Wait up to timeout seconds for pid to exit; True if it did."""
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop_process(pid: int, timeout: float, sig: signal.Signals = signal.SIGTERM) -> bool:
    """Send sig to pid, SIGKILL it if alive after timeout; False if it was already gone."""
    try:
        os.kill(pid, sig)
        if not _wait_gone(pid, timeout):
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 5.0)
    except ProcessLookupError:
        return False
    finally:
        _CHILDREN.pop(pid, None)
    return True


def stop_pid(pid_file: Path, timeout: float = 20.0) -> bool:
    """Stop the process in pid_file, remove the file; True if something was stopped."""
    pid = read_pid(pid_file)
    stopped = pid is not None and stop_process(pid, timeout)
    pid_file.unlink(missing_ok=True)
    return stopped
