"""Creates every declared topic and its DLQ with the declared partitions and retention (idempotent)."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic

from events.topics import TOPICS

DLQ_PARTITIONS = 1
TOPIC_ALREADY_EXISTS = 36  # Kafka protocol error code


async def ensure_topics(bootstrap: str, prefix: str = "", min_partitions: int = 0) -> list[str]:
    """Create missing topics and grow partitions up to the declared count (or `min_partitions`); returns new names."""
    wanted: dict[str, tuple[int, dict[str, str]]] = {}
    for topic in TOPICS:
        wanted[topic.resolve(prefix)] = (max(topic.partitions, min_partitions), topic.config())
        wanted[topic.dlq(prefix)] = (DLQ_PARTITIONS, {"cleanup.policy": "delete", "retention.ms": "-1"})
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="shine-topics")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(n, p, 1, topic_configs=c) for n, (p, c) in wanted.items() if n not in existing]
        if missing:
            response = await admin.create_topics(missing)
            # aiokafka reports per-topic errors in the response instead of raising them.
            failed = [(t, code) for t, code, *_ in response.topic_errors if code not in (0, TOPIC_ALREADY_EXISTS)]
            if failed:
                raise RuntimeError(f"could not create topics: {failed}")
        await _grow(admin, {n: p for n, (p, _) in wanted.items() if n in existing})
        return [t.name for t in missing]
    finally:
        await admin.close()


async def _grow(admin: AIOKafkaAdminClient, wanted: dict[str, int]) -> None:
    if not wanted:
        return
    described = await admin.describe_topics(list(wanted))
    grow = {
        d["topic"]: NewPartitions(wanted[d["topic"]]) for d in described if len(d["partitions"]) < wanted[d["topic"]]
    }
    if grow:
        await admin.create_partitions(grow)
