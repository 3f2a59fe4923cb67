"""The `shine` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime

from consumers.registry import GROUPS
from shine import payments_commands
from shine.settings import Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shine", description="Shine: AI skincare analysis over Kafka.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="provision Kafka and Postgres, migrate, create topics (idempotent)")
    sub.add_parser("down", help="stop the local Kafka and Postgres")
    sub.add_parser("run", help="up, then run the edge and every consumer, supervised; Ctrl-C stops it all")
    sub.add_parser("edge", help="run the HTTP edge")
    consume = sub.add_parser("consume", help="run one consumer group (start more to scale out)")
    consume.add_argument("name", choices=[g.name for g in GROUPS])
    sub.add_parser("migrate", help="apply database migrations")
    status = sub.add_parser("status", help="settings in effect")
    status.add_argument("--json", action="store_true", help="print JSON")
    token = sub.add_parser("token", help="create the user if needed, open a session, print the bearer token")
    token.add_argument("--email", required=True)
    token.add_argument("--role", choices=["user", "premium", "admin"], help="set the role (new users: user)")
    replay = sub.add_parser("replay", help="rebuild projections from the topics, or compare a rebuild with live")
    mode = replay.add_mutually_exclusive_group(required=True)
    mode.add_argument("--into", metavar="SCHEMA", help="rebuild into a fresh schema")
    mode.add_argument("--compare", metavar="SCHEMA", help="compare a rebuilt schema with live (exit 0 if equal)")
    export = sub.add_parser("export", help="write a topic's events for analysts")
    export.add_argument("--topic", required=True)
    export.add_argument("--since", type=_utc_time, help="ISO 8601 date or time (UTC unless an offset is given)")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")
    export.add_argument("--output", help="file to write (default: stdout)")
    dlq = sub.add_parser("dlq", help="dead-letter queues")
    dlq_sub = dlq.add_subparsers(dest="dlq_command", required=True)
    dlq_sub.add_parser("redrive", help="re-publish a topic's dead letters").add_argument("topic")
    _catalog_parsers(sub)
    payments_commands.add_parser(sub)
    return p


def _catalog_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    formats = ["shopify", "shopify-admin", "woocommerce"]
    catalog = sub.add_parser("catalog", help="product feeds").add_subparsers(dest="catalog_command", required=True)
    imp = catalog.add_parser("import", help="import a feed (file or URL) and print the import report")
    imp.add_argument("location", metavar="PATH|URL")
    imp.add_argument("--format", required=True, choices=formats)
    imp.add_argument("--currency", default="USD")
    sync = catalog.add_parser("sync", help="sync SHINE_CATALOG_FEEDS now and every SHINE_CATALOG_SYNC_INTERVAL_SECONDS")
    sync.add_argument("--once", action="store_true", help="sync once and exit")
    recs = sub.add_parser("recs", help="recommendations").add_subparsers(dest="recs_command", required=True)
    ev = recs.add_parser("evaluate", help="offline evaluation on a simulated population")
    ev.add_argument("--users", type=int, default=600)
    ev.add_argument("--seed", type=int, default=7)


def _utc_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `shine` console script."""
    args = _parser().parse_args(argv)
    settings = load_settings()
    # OpenCV reads this at import; the header check comes first, this is the second line of defence.
    os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(settings.max_image_pixels))
    try:
        return int(_dispatch(args, settings) or 0)
    except BrokenPipeError:
        # The reader went away (e.g. `shine export | head`): not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int | None:
    from shine import analyst, operations

    match args.command:
        case "up":
            operations.up(settings)
        case "down":
            operations.down(settings)
        case "run":
            return _run(settings)
        case "edge":
            from api_edge.main import serve

            asyncio.run(serve(settings))
        case "consume":
            from consumers.main import serve as consume

            asyncio.run(consume(settings, args.name))
        case "migrate":
            operations.migrate(settings)
        case "status":
            status = operations.status(settings, _consumers(settings))
            print(json.dumps(status, indent=None if args.json else 2))
        case "token":
            print(asyncio.run(operations.token(settings, args.email, args.role)))
        case "replay":
            run = analyst.replay_into(settings, args.into) if args.into else analyst.compare(settings, args.compare)
            return asyncio.run(run)
        case "export":
            return _export(settings, args)
        case "dlq":
            return asyncio.run(analyst.dlq_redrive(settings, args.topic))
        case "catalog" | "recs" | "report":
            return _catalog(args, settings)
    return 0


def _catalog(args: argparse.Namespace, settings: Settings) -> int:
    from shine import catalog_commands as commands

    if args.command == "report":
        return payments_commands.revenue(settings, args)
    if args.command == "recs":
        return commands.evaluate(args.users, args.seed)
    if args.catalog_command == "import":
        return commands.import_feed(settings, args.location, args.format, args.currency)
    return commands.sync(settings, args.once)


def _consumers(settings: Settings) -> dict[str, dict[str, object]]:
    from consumers.registry import metrics_port

    ports = {g.name: metrics_port(g.name, settings.metrics_port_base) for g in GROUPS}
    return {
        g.name: {
            "group_id": f"{settings.topic_prefix}{g.name}",
            "topics": [t.resolve(settings.topic_prefix) for t in g.topics],
            "instances": g.instances,
            "metrics_url": f"http://127.0.0.1:{ports[g.name]}/metrics" if ports[g.name] else None,
        }
        for g in GROUPS
    }


def consumer_children() -> list[tuple[str, list[str]]]:
    """(name, argv) of every consumer process `shine run` supervises: each group's declared instances."""
    me = [sys.executable, "-m", "shine.cli"]
    return [
        (g.name if g.instances == 1 else f"{g.name}-{i + 1}", [*me, "consume", g.name])
        for g in GROUPS
        for i in range(g.instances)
    ]


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from shine import analyst

    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            return asyncio.run(analyst.export(settings, args.topic, args.since, out))
    return asyncio.run(analyst.export(settings, args.topic, args.since, sys.stdout))


def _run(settings: Settings) -> int:
    from shine import operations
    from shine.infra_watch import InfraWatcher, watched_services
    from shine.peers import wanted_peers
    from shine.supervisor import Child, Supervisor

    started = operations.up(settings)
    me = [sys.executable, "-m", "shine.cli"]
    # Local peers speak other tools' log formats: each writes to var/log/<peer>.log, not to this terminal.
    peers = [Child(p.name, p.argv(settings), settings.log_dir / f"{p.name}.log") for p in wanted_peers(settings)]
    children = [*peers, Child("edge", [*me, "edge"])] + [Child(name, argv) for name, argv in consumer_children()]
    # The broker and database Shine runs under var/ are restarted like the children if they die.
    watcher = InfraWatcher(watched_services(settings))
    print(f"shine: edge on http://{settings.edge_host}:{settings.edge_port} — Ctrl-C stops everything", file=sys.stderr)
    try:
        Supervisor(children, watcher).run()
    finally:
        operations.down(settings, only=started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
