"""A local single-node Apache Kafka (KRaft) broker run from jars, without Docker."""

from __future__ import annotations

import base64
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.maven import resolve_jars, run_logged
from infra.processes import (
    port_open,
    read_pid,
    start_detached,
    stop_pid,
    tail,
    wait_for_port,
)

HOST = "127.0.0.1"
POM = Path(__file__).parent / "kafka" / "pom.xml"
KAFKA_JAR = "kafka_2.13-*.jar"
LOG4J_CONFIG = Path(__file__).parent / "log4j2.properties"

SERVER_PROPERTIES = """\
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers={host}:{controller_port}
listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}
advertised.listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{controller_port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={data_dir}
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
"""


@dataclass(frozen=True)
class KafkaService:
    """A reachable broker and whether this call started it."""

    bootstrap: str
    pid: int | None
    started_here: bool


def _pid_file(var_dir: Path) -> Path:
    return var_dir / "run" / "kafka.pid"


def _has_kafka_jar(libs: Path) -> bool:
    return any(libs.glob(KAFKA_JAR))


def _resolve_libs(var_dir: Path, log_dir: Path, kafka_home: Path | None) -> Path:
    """The broker jars: a Kafka distribution's libs, else the Maven-resolved ones."""
    if kafka_home is None:
        return resolve_jars(POM, var_dir / "kafka" / "libs", KAFKA_JAR, log_dir / "mvn.log", "kafka")
    libs = kafka_home.resolve() / "libs"
    if not _has_kafka_jar(libs):
        raise RuntimeError(f"no kafka_2.13-*.jar in {libs}: is it a Kafka distribution?")
    return libs


def _java(libs: Path, *args: str) -> list[str]:
    """A java command line with the broker jars and our log4j2 config."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Kafka needs java 17+: apt-get install -y default-jre-headless")
    log4j = f"-Dlog4j2.configurationFile={LOG4J_CONFIG}"
    return [java, "-Xmx512m", "-Xms128m", "-cp", f"{libs}/*", log4j, *args]


def _write_config(var_dir: Path, port: int, controller_port: int) -> tuple[Path, Path]:
    """Write server.properties for these ports; return it and the data dir."""
    data_dir = var_dir / "kafka" / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    props = var_dir / "kafka" / "server.properties"
    ports = {"port": port, "controller_port": controller_port}
    props.write_text(SERVER_PROPERTIES.format(host=HOST, data_dir=data_dir, **ports))
    return props, data_dir


def _format_storage(libs: Path, props: Path, data_dir: Path, log: Path) -> None:
    """Format the KRaft log dir once; formatting again would throw the data away."""
    if (data_dir / "meta.properties").exists():
        return
    cluster_id = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    print(f"kafka: formatting {data_dir} (cluster id {cluster_id})", file=sys.stderr)
    # The "=" form: a cluster id may start with "-", which the tool's parser would take for an option.
    tool = ["kafka.tools.StorageTool", "format", "--standalone", f"--cluster-id={cluster_id}"]
    code = run_logged(_java(libs, *tool, "-c", str(props)), log)
    if code != 0:
        raise RuntimeError(f"kafka storage format failed (exit {code}); {log}:\n{tail(log)}")


def _start_broker(cmd: list[str], pid_file: Path, log: Path, port: int, timeout: float) -> int:
    """Start the broker detached and wait until it listens; return its pid."""
    print(f"kafka: starting broker on {HOST}:{port} (log: {log})", file=sys.stderr)
    proc = start_detached(cmd, log, pid_file)
    try:
        wait_for_port(HOST, port, timeout, proc=proc, log=log)
    except RuntimeError:
        stop_pid(pid_file, timeout=10)
        raise
    print(f"kafka: ready on {HOST}:{port} (pid {proc.pid})", file=sys.stderr)
    return proc.pid


def ensure_kafka(
    var_dir: Path,
    port: int = 9092,
    controller_port: int = 9093,
    kafka_home: Path | None = None,
    log_dir: Path | None = None,
    timeout: float = 60,
) -> KafkaService:
    """Return a broker on 127.0.0.1:port, starting the local one if nothing listens."""
    var_dir = var_dir.resolve()
    bootstrap = f"{HOST}:{port}"
    pid_file = _pid_file(var_dir)
    if port_open(HOST, port):
        return KafkaService(bootstrap, read_pid(pid_file), started_here=False)
    log_dir = (log_dir or var_dir / "log").resolve()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "kafka.log"
    running = read_pid(pid_file)
    if running is not None:
        # Ours is still starting (a racing call): wait rather than start a second.
        print(
            f"kafka: pid {running} is starting, waiting for {bootstrap}",
            file=sys.stderr,
        )
        wait_for_port(HOST, port, timeout, log=log)
        return KafkaService(bootstrap, running, started_here=False)
    libs = _resolve_libs(var_dir, log_dir, kafka_home)
    props, data_dir = _write_config(var_dir, port, controller_port)
    _format_storage(libs, props, data_dir, log)
    pid = _start_broker(_java(libs, "kafka.Kafka", str(props)), pid_file, log, port, timeout)
    return KafkaService(bootstrap, pid, started_here=True)


def kafka_pid(var_dir: Path) -> int | None:
    """The pid of the live local broker recorded under var_dir, if it runs."""
    return read_pid(_pid_file(var_dir.resolve()))


def stop_kafka(var_dir: Path) -> bool:
    """Stop the local broker recorded under var_dir; True if one was running."""
    # A controlled shutdown can take a few seconds; allow plenty before SIGKILL.
    return stop_pid(_pid_file(var_dir.resolve()), timeout=30.0)
