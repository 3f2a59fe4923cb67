"""Jars from Maven Central: resolve a pom's runtime dependencies into a directory, once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from infra.processes import tail


def run_logged(cmd: list[str], log: Path) -> int:
    """Run cmd to completion with its output appended to log; return its exit code."""
    with log.open("ab") as out:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False)
    return done.returncode


def resolve_jars(pom: Path, libs: Path, marker: str, log: Path, label: str) -> Path:
    """`libs` holding the pom's runtime jars; `marker` (a glob) tells a complete download."""
    if any(libs.glob(marker)):
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError(f"mvn is needed to fetch the {label} jars; install Maven")
    # Download beside libs and rename, so a partial download never looks complete.
    staging = libs.with_name("libs.partial")
    shutil.rmtree(staging, ignore_errors=True)
    print(f"{label}: resolving jars with Maven into {libs} (log: {log})", file=sys.stderr)
    cmd = [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies"]
    code = run_logged([*cmd, f"-DoutputDirectory={staging}", "-DincludeScope=runtime"], log)
    if code != 0 or not any(staging.glob(marker)):
        raise RuntimeError(f"mvn failed (exit {code}); {log}:\n{tail(log)}")
    shutil.rmtree(libs, ignore_errors=True)
    staging.replace(libs)
    return libs
