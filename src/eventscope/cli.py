"""The ``eventscope`` command: a thin layer over the library.

Exit status: 0 success; 1 some documents failed (each reported) or a quality gate dropped;
2 usage errors (bad options, missing files, broken settings).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__
from .errors import ConfigError, EventscopeError, InputError

if TYPE_CHECKING:
    from .records import DocumentResult

log = logging.getLogger("eventscope")


# --------------------------------------------------------------------------- output helpers
def _table(rows: list[dict[str, Any]], columns: Sequence[tuple[str, str, int]]) -> str:
    """A plain-text table; ``columns`` = (key, header, max width)."""
    if not rows:
        return "(no events)"
    cells = [[_cell(r.get(k), w) for k, _, w in columns] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, (_, h, _) in enumerate(columns)]
    line = "  ".join(h.ljust(widths[i]) for i, (_, h, _) in enumerate(columns))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(c[i].ljust(widths[i]) for i in range(len(columns))) for c in cells]
    return "\n".join([line, sep, *body])


def _cell(v: Any, width: int) -> str:
    if v is None:
        s = ""
    elif isinstance(v, float):
        s = f"{v:.2f}"
    elif isinstance(v, list):
        s = "; ".join(map(str, v))
    else:
        s = str(v)
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


EVENT_TABLE = (
    ("event_date", "date", 10),
    ("event_type", "type", 26),
    ("sub_event_type", "sub-type", 30),
    ("plover", "plover", 8),
    ("actor1", "actor 1", 30),
    ("actor2", "actor 2", 26),
    ("location", "location", 20),
    ("country", "country", 16),
    ("fatalities", "killed", 6),
)


# --------------------------------------------------------------------------- commands
def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import Extractor
    from .ingest import read_inputs

    fmt = args.format or ("jsonl" if not sys.stdout.isatty() or args.output else "table")
    judge = _relevance_judge(args.relevance)
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    extractor = Extractor(default_published=args.published, coder=_coder(args))
    failed = 0
    docs: list[dict[str, Any]] = []
    try:
        items = read_inputs(
            args.inputs, published=args.published, fetch=args.fetch, stdin=sys.stdin.buffer
        )
        for result in extractor.run(items):
            d = result.to_dict()
            if result.error is not None:
                failed += 1
                print(f"eventscope: error: {result.error}", file=sys.stderr)
            elif judge is not None:
                d["relevance"] = judge(result)
            if fmt == "jsonl":
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
                out.flush()
            elif fmt == "json":
                docs.append(d)
            else:
                _print_doc_table(d, out)
        if fmt == "json":
            json.dump(docs, out, ensure_ascii=False, indent=2)
            out.write("\n")
    finally:
        if args.output:
            out.close()
    return 1 if failed else 0


def _relevance_judge(
    region_name: str | None,
) -> Callable[[DocumentResult], dict[str, Any]] | None:
    """With ``--relevance [REGION]``: a function judging whether a document reports a
    specific incident (in REGION; ``any`` for anywhere). The region file is read before any
    document, so a bad one stops the run with a usage error."""
    if region_name is None:
        return None
    from .errors import KnowledgeError
    from .extract import relevance

    region = None
    if region_name != "any":
        try:
            region = relevance.load_region(region_name)
        except KnowledgeError as exc:
            raise ConfigError(f"--relevance: {exc}") from exc

    def judge(result: DocumentResult) -> dict[str, Any]:
        return relevance.as_dict(relevance.assess(result, region=region), region)

    return judge


def _print_doc_table(d: dict[str, Any], out: TextIO) -> None:
    if "error" in d:
        out.write(f"\n== {d['id']}: ERROR {d['error']}\n")
        return
    rel = d.get("relevance")
    if rel is not None:
        kinds = sorted({i["kind"] for i in rel["incidents"]}) if rel["relevant"] else []
        where = f" in {rel['region']}" if rel["region"] else ""
        verdict = f"reports an incident{where}: {', '.join(kinds)}" if kinds else "no incident"
        verdict = f"; {verdict}"
    else:
        verdict = ""
    out.write(
        f"\n== {d['id']}  ({len(d['events'])} events, published {d.get('published')}{verdict})\n"
    )
    out.write(_table(d["events"], EVENT_TABLE) + "\n")


def cmd_ingest(args: argparse.Namespace) -> int:
    from .extract import Extractor
    from .ingest import read_inputs
    from .records import Article
    from .store import Store

    stats = {"new": 0, "already stored": 0, "failed": 0, "events": 0}
    with Store.open(args.db) as store:
        items = read_inputs(
            args.inputs, published=args.published, fetch=args.fetch, stdin=sys.stdin.buffer
        )

        def fresh() -> Iterator[Article | InputError]:
            for item in items:
                if isinstance(item, Article) and not args.reextract and store.has_article(item):
                    stats["already stored"] += 1
                    continue
                yield item

        if args.no_extract:
            for item in fresh():
                if isinstance(item, InputError):
                    stats["failed"] += 1
                    print(f"eventscope: error: {item}", file=sys.stderr)
                elif store.add_article(item):
                    stats["new"] += 1
                else:
                    stats["already stored"] += 1
        else:
            extractor = Extractor(default_published=args.published, coder=_coder(args))
            for result in extractor.run(fresh()):
                if result.error is not None:
                    stats["failed"] += 1
                    print(f"eventscope: error: {result.error}", file=sys.stderr)
                    continue
                if store.add_result(result, replace=args.reextract):
                    stats["new"] += 1
                    stats["events"] += len(result.events)
                else:
                    stats["already stored"] += 1
        counts = store.counts()
    print(
        f"{args.db}: {stats['new']} articles added ({stats['events']} events), "
        f"{stats['already stored']} already stored, {stats['failed']} failed; "
        f"the database holds {counts['articles']} articles and {counts['events']} events.",
        file=sys.stderr,
    )
    return 1 if stats["failed"] else 0


def _filter_from_args(args: argparse.Namespace) -> Any:
    from .query import EventFilter, parse_date

    return EventFilter(
        since=parse_date(args.since, what="--since"),
        until=parse_date(args.until, what="--until"),
        country=args.country,
        admin1=args.admin1,
        event_type=args.type,
        sub_event_type=args.sub_type,
        actor=args.actor,
        min_fatalities=args.min_fatalities,
        bbox=_parse_bbox(args.bbox),
        text=args.text,
        include_rejected=args.include_rejected,
    )


def _parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(x) for x in value.split(","))
    except ValueError as exc:
        raise ConfigError(f"--bbox {value!r}: give four numbers W,S,E,N (degrees)") from exc
    if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
        raise ConfigError(
            f"--bbox {value!r}: latitudes must be -90..90 with S <= N, longitudes -180..180"
        )
    return west, south, east, north


def cmd_events(args: argparse.Namespace) -> int:
    from .query import count_events, query_events
    from .store import Store

    with Store.open(args.db, read_only=True) as store:
        flt = _filter_from_args(args)
        rows = query_events(store, flt, limit=args.limit, offset=args.offset)
        total = count_events(store, flt)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        print(_table(rows, EVENT_TABLE))
        print(f"\n{len(rows)} of {total} matching events shown.", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import write_export
    from .query import query_events
    from .store import Store

    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt == "json":
        fmt = "geojson"
    with Store.open(args.db, read_only=True) as store:
        rows = query_events(store, _filter_from_args(args), limit=None)
    write_export(rows, Path(args.output), fmt)
    print(f"wrote {len(rows)} events to {args.output} ({fmt})", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import check_gate, format_parts, format_report, run_evals
    from .extract import Extractor

    extractor = Extractor(coder=_coder(args))
    reports = run_evals([Path(g) for g in args.gold], limit=args.limit, extractor=extractor)
    print(format_report({k: v for k, v in reports.items() if "/" not in k}))
    print()
    print(format_parts(reports))
    if args.output:
        Path(args.output).write_text(json.dumps(reports, indent=2, sort_keys=True) + "\n")
    if args.gate:
        failures = check_gate(reports, Path(args.gate))
        if failures:
            for f in failures:
                print(f"quality gate: {f}", file=sys.stderr)
            return 1
        print("quality gate: all pinned scores held", file=sys.stderr)
    return 0


def _coder(args: argparse.Namespace) -> Any:
    """The event coder ``--model`` asks for: None (the default coder, built-in model), the rules
    alone (``--model none``), or a model directory written by ``eventscope train``."""
    choice = getattr(args, "model", None)
    if choice is None:
        return None
    from .errors import ModelError
    from .extract.coder import EventCoder
    from .extract.typemodel import TypeModel

    if choice == "none":
        return EventCoder(use_model=False)
    try:
        return EventCoder(model=TypeModel.load(Path(choice)))
    except ModelError as exc:
        raise ConfigError(str(exc)) from exc


def cmd_train(args: argparse.Namespace) -> int:
    from .evaluate import load_gold
    from .extract import typemodel

    if args.builtin:
        # the built-in model, from the project's own corpus, into the user cache (make install)
        model = typemodel.builtin()
        where = typemodel.builtin_dir()
        if args.output:
            model.save(Path(args.output))
            where = Path(args.output)
        print(f"built-in event-type model ready in {where}", file=sys.stderr)
        return 0
    if not args.gold or not args.output:
        raise ConfigError("train needs GOLD.jsonl files and --output DIR (or --builtin)")
    docs: list[dict[str, Any]] = []
    for g in args.gold:
        docs.extend(load_gold(Path(g)))
    model = typemodel.train_gold(docs, l2=args.l2, sources=[Path(g).name for g in args.gold])
    model.save(Path(args.output))
    print(
        f"model written to {args.output}: {model.meta['examples']} documents,"
        f" {len(model.labels)} classes, {len(model.keys)} features",
        file=sys.stderr,
    )
    return 0


def _add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--model",
        metavar="DIR",
        help="event-type model: a directory written by `eventscope train`, or 'none' for the"
        " rules alone (default: the built-in model)",
    )


def cmd_gazetteer(args: argparse.Namespace) -> int:
    from . import geo

    path = Path(args.path) if args.path else None
    if args.action == "build":
        out = geo.build_gazetteer(path)
        print(f"gazetteer written to {out}", file=sys.stderr)
    elif args.action == "import":
        if not args.files:
            raise ConfigError("gazetteer import needs GeoNames files (e.g. allCountries.zip)")
        out = geo.import_geonames([Path(f) for f in args.files], path)
        print(f"gazetteer written to {out}", file=sys.stderr)
    else:
        print(json.dumps(geo.gazetteer_info(path), indent=2, default=str))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    serve(db=args.db, host=args.host, port=args.port, token=args.token, read_token=args.read_token)
    return 0


# --------------------------------------------------------------------------- parser
def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this date")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this date")
    p.add_argument("--country", help="country name or ISO alpha-2 code")
    p.add_argument("--admin1", help="province / state / region")
    p.add_argument("--bbox", metavar="W,S,E,N", help="bounding box in degrees")
    p.add_argument("--text", help="text in the article, an actor or the location")
    p.add_argument(
        "--include-rejected", action="store_true", help="include events an analyst rejected"
    )
    p.add_argument("--type", help="ACLED event type, e.g. Battles")
    p.add_argument("--sub-type", help="ACLED sub-event type, e.g. 'Armed clash'")
    p.add_argument("--actor", help="text in actor1, actor2 or associated actors")
    p.add_argument("--min-fatalities", type=int, metavar="N")


def build_parser() -> argparse.ArgumentParser:
    from .store import DEFAULT_DB

    parser = argparse.ArgumentParser(
        prog="eventscope",
        description="News reports in, a geocoded, evidence-linked database of conflict events out.",
    )
    parser.add_argument("--version", action="version", version=f"eventscope {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="extract events as contract JSON (CONTRACT.md)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, URL or - (stdin)")
    p.add_argument(
        "--published", metavar="YYYY-MM-DD", help="publication date of inputs that carry none"
    )
    p.add_argument("--format", choices=("jsonl", "json", "table"))
    p.add_argument("--output", "-o", metavar="FILE")
    p.add_argument("--fetch", action="store_true", help="allow fetching http(s) URLs")
    p.add_argument(
        "--relevance",
        nargs="?",
        const="any",
        metavar="REGION",
        help="also judge whether each document reports a specific incident of political "
        "violence (MUC-4's relevance), in REGION: a shipped region (muc4), a region YAML "
        "file, or 'any' (the default when REGION is left out)",
    )
    _add_model(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="read articles, extract their events, store them")
    p.add_argument("inputs", nargs="*", metavar="PATH")
    p.add_argument("--db", default=DEFAULT_DB, help=f"DuckDB file (default {DEFAULT_DB})")
    p.add_argument("--published", metavar="YYYY-MM-DD")
    p.add_argument("--fetch", action="store_true", help="allow fetching http(s) URLs")
    p.add_argument("--no-extract", action="store_true", help="store articles only")
    p.add_argument(
        "--reextract",
        action="store_true",
        help="re-extract articles already stored (analysts' corrections are kept)",
    )
    _add_model(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("events", help="list stored events with filters")
    p.add_argument("--db", default=DEFAULT_DB)
    _add_filters(p)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("export", help="export events to CSV (ACLED columns), GeoJSON or Parquet")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--output", "-o", required=True, metavar="FILE")
    p.add_argument(
        "--format",
        choices=("csv", "geojson", "parquet"),
        help="default: from the output file's extension",
    )
    _add_filters(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("eval", help="score extraction against gold files")
    p.add_argument("gold", nargs="+", metavar="GOLD.jsonl")
    p.add_argument("--gate", metavar="PINS.json", help="fail when a score drops below its pin")
    p.add_argument("--output", "-o", metavar="FILE", help="write the scores as JSON")
    p.add_argument("--limit", type=int, help="score only the first N documents of each file")
    _add_model(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "train", help="train the event-type model on ACLED-format gold (your own export)"
    )
    p.add_argument("gold", nargs="*", metavar="GOLD.jsonl")
    p.add_argument("--output", "-o", metavar="DIR", help="model directory")
    p.add_argument("--l2", type=float, default=1.0, help="L2 penalty (default 1.0)")
    p.add_argument(
        "--builtin",
        action="store_true",
        help="train the built-in model from the project's own corpus into the user cache",
    )
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("gazetteer", help="build, import or inspect the offline gazetteer")
    p.add_argument("action", choices=("build", "import", "info"))
    p.add_argument("files", nargs="*", metavar="FILE", help="GeoNames dump files (import)")
    p.add_argument("--path", help="gazetteer file (default: the user cache)")
    p.set_defaults(func=cmd_gazetteer)

    p = sub.add_parser("serve", help="the HTTP API and dashboard")
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", help="token for writes (or EVENTSCOPE_TOKEN)")
    p.add_argument("--read-token", help="require this token for reads too")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"eventscope: error: {exc}", file=sys.stderr)
        return 2
    except EventscopeError as exc:
        print(f"eventscope: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
