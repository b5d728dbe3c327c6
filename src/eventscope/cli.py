"""The ``eventscope`` command: a thin layer over the library.

Exit status (also in ``eventscope --help``):

    0    done
    1    some documents failed (each has its error line), or a quality gate dropped
    2    usage error or missing input: bad options, no such file, folder or database,
         an output folder that does not exist, a port in use
    3    the store is busy (another process writes to it: the message names it) or broken
    130  interrupted (Ctrl-C): a one-line summary; run the same command again to go on
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
from .errors import ConfigError, EventscopeError, InputError, StoreError

if TYPE_CHECKING:
    from .records import DocumentResult

log = logging.getLogger("eventscope")

#: Largest --offset (DuckDB's offsets are 64-bit; a larger one was a traceback).
MAX_OFFSET = 1_000_000_000

EXIT_STATUSES = """exit status:
  0  done
  1  some documents failed (each gets an error line naming it), or a quality gate dropped
  2  usage error or missing input (no such file, folder or database; bad option)
  3  the store is busy (another process is writing to it: the message names it) or broken
  130  interrupted (Ctrl-C): a one-line summary; run the same command again to go on"""


def _output_path(value: str, what: str = "--output") -> Path:
    """An output file whose folder exists (checked before any work is done)."""
    path = Path(value)
    folder = path.parent
    if not folder.is_dir():
        raise ConfigError(
            f"{what} {value}: the folder {folder} does not exist; create it first "
            f"(mkdir -p {folder}) or write elsewhere"
        )
    if path.is_dir():
        raise ConfigError(f"{what} {value}: is a folder; give a file name")
    return path


def _open_output(value: str) -> TextIO:
    path = _output_path(value)
    try:
        return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise ConfigError(f"--output {value}: cannot write it ({exc.strerror})") from exc


def _existing_db(db: str) -> str:
    """A database the command reads: it must exist (a usage error otherwise)."""
    if db != ":memory:" and not Path(db).is_file():
        raise ConfigError(
            f"--db {db}: no such database; create it with `eventscope ingest PATH --db {db}`"
            + (" (it is a folder)" if Path(db).is_dir() else "")
        )
    return db


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
    from . import engine
    from .ingest import read_inputs
    from .progress import Progress, estimate_total

    fmt = args.format or ("jsonl" if not sys.stdout.isatty() or args.output else "table")
    judge = _relevance_judge(args.relevance)
    options = _engine_options(args)
    # inputs are checked (all missing: a usage error) before the output file is created
    items = read_inputs(
        args.inputs, published=args.published, fetch=args.fetch, stdin=sys.stdin.buffer
    )
    out: TextIO = _open_output(args.output) if args.output else sys.stdout
    # a progress line only when it cannot mix with the output (stdout to a file or a pipe)
    progress = Progress(
        None, enabled=sys.stderr.isatty() and (args.output or not sys.stdout.isatty())
    )
    if progress.enabled:
        progress.total = estimate_total(args.inputs)
    failed = 0
    docs: list[dict[str, Any]] = []
    try:
        for result in engine.run(items, options):
            progress.update(failed=result.error is not None)
            d = result.to_dict()
            if result.error is not None:
                failed += 1
                progress.close()
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
    except KeyboardInterrupt:
        progress.close()
        print(
            f"eventscope: interrupted after {progress.elapsed:.1f} s: {progress.done} documents "
            f"extracted ({failed} failed)"
            + (f", written to {args.output}." if args.output else "."),
            file=sys.stderr,
        )
        return 130
    finally:
        progress.close()
        if args.output:
            out.close()
    return 1 if failed else 0


def _engine_options(args: argparse.Namespace) -> Any:
    from .engine import EngineOptions

    return EngineOptions(
        engine=args.engine,
        workers=args.workers,
        address=args.address,
        extractor={
            "default_published": args.published,
            "doc_timeout": args.doc_timeout,
            "max_chars": args.max_chars,
            "model": _model_choice(args),
        },
    )


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
    from . import engine
    from .ingest import read_inputs
    from .live import StoreWriter, writer_lock
    from .progress import Progress, estimate_total
    from .records import Article

    if not args.inputs:
        raise ConfigError(
            "ingest needs something to read: files, folders, URLs (with --fetch) or - for "
            "standard input, e.g. `eventscope ingest corpus/ --db events.duckdb`"
        )
    # inputs are checked (all missing: a usage error) before the database is created
    items = read_inputs(
        args.inputs, published=args.published, fetch=args.fetch, stdin=sys.stdin.buffer
    )
    _output_path(args.db, "--db")
    progress = Progress(None)
    if progress.enabled:
        progress.total = estimate_total(args.inputs)
    failed = 0
    options = None if args.no_extract else _engine_options(args)
    writer: StoreWriter | None = None
    interrupted = False
    with writer_lock(args.db):
        try:
            writer = StoreWriter(args.db, replace=args.reextract, merge=not args.no_merge)
            stored = set() if args.reextract else writer.stored_ids()

            def fresh() -> Iterator[Article | InputError]:
                """What is not stored yet: a re-run goes on where the last one stopped."""
                for item in items:
                    if isinstance(item, Article) and item.content_hash in stored:
                        progress.update(skipped=True)
                        continue
                    yield item

            if options is None:
                store = writer.store()
                for item in fresh():
                    progress.update(failed=isinstance(item, InputError))
                    if isinstance(item, InputError):
                        failed += 1
                        progress.close()
                        print(f"eventscope: error: {item}", file=sys.stderr)
                    elif store.add_article(item):
                        writer.added += 1
                    else:
                        writer.already += 1
            else:
                for result in engine.run(fresh(), options):
                    progress.update(failed=result.error is not None)
                    if result.error is not None:
                        failed += 1
                        progress.close()
                        print(f"eventscope: error: {result.error}", file=sys.stderr)
                        continue
                    writer.add(result)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            progress.close()
            if writer is not None:
                writer.close()
        assert writer is not None
        counts = writer.counts()
    done = (
        f"{writer.added} articles added ({writer.events} events), "
        f"{writer.already + progress.skipped} already stored, {failed} failed"
    )
    if interrupted:
        print(
            f"eventscope: interrupted after {progress.elapsed:.1f} s: {done}; the database "
            f"holds {counts['articles']} articles. Run the same command again to go on "
            "(stored articles are skipped).",
            file=sys.stderr,
        )
        return 130
    print(
        f"{args.db}: {done}; "
        f"the database holds {counts['articles']} articles and {counts['events']} events.",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _filter_from_args(args: argparse.Namespace) -> Any:
    from .query import EventFilter, event_type, parse_date

    since = parse_date(args.since, what="--since")
    until = parse_date(args.until, what="--until")
    if since and until and since > until:
        raise ConfigError(f"--since {args.since} is after --until {args.until}")
    try:
        etype = event_type(args.type)
    except ConfigError as exc:
        raise ConfigError(f"--type: {exc}") from exc
    return EventFilter(
        since=since,
        until=until,
        country=args.country,
        admin1=args.admin1,
        event_type=etype,
        sub_event_type=args.sub_type,
        actor=args.actor,
        min_fatalities=args.min_fatalities,
        bbox=_parse_bbox(args.bbox),
        text=args.text,
        include_rejected=args.include_rejected,
        origin=getattr(args, "origin", None),
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

    flt = _filter_from_args(args)
    with Store.open(_existing_db(args.db), read_only=True) as store:
        rows = query_events(store, flt, limit=args.limit, offset=args.offset)
        total = count_events(store, flt)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        print(_table(rows, EVENT_TABLE))
        print(f"\n{len(rows)} of {total} matching events shown.", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_events
    from .store import Store

    fmt = args.format or Path(args.output).suffix.lstrip(".").lower()
    if fmt == "json":
        fmt = "geojson"
    if fmt not in ("csv", "geojson", "parquet"):
        raise ConfigError(f"unknown export format {fmt!r}; choose csv, geojson or parquet")
    out = _output_path(args.output)
    flt = _filter_from_args(args)
    with Store.open(_existing_db(args.db), read_only=True) as store:
        try:
            n = export_events(
                store, flt, out, fmt, inter_numeric=args.inter_numeric, bom=args.bom
            )
        except OSError as exc:
            raise ConfigError(
                f"--output {args.output}: cannot write it ({exc.strerror})"
            ) from exc
    print(f"wrote {n} events to {args.output} ({fmt})", file=sys.stderr)
    return 0


def cmd_import_acled(args: argparse.Namespace) -> int:
    from .acled import import_acled
    from .store import Store

    with Store.open(args.db) as store:
        stats = import_acled(store, Path(args.file))
    print(
        f"{args.db}: {stats['imported']} ACLED events imported, {stats['updated']} updated; "
        f"{stats['linked']} machine-coded events linked to them (origin 'acled'; list them "
        "with `eventscope events --origin acled`).",
        file=sys.stderr,
    )
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from . import crossreport
    from .store import Store

    with Store.open(args.db) as store:
        if args.action == "split":
            if len(args.ids) < 2:
                raise ConfigError("merge split EVENT_ID REPORT_ID...: name the event and the "
                                  "reports to take out of it")
            out = crossreport.split_event(store, args.ids[0], args.ids[1:],
                                          author=args.author or "", note=args.note)
            print(json.dumps({"events": out}))
        elif args.action == "join":
            merged = crossreport.merge_events(store, args.ids, author=args.author or "",
                                              note=args.note)
            print(json.dumps({"event": merged}))
        elif args.action == "reports":
            if len(args.ids) != 1:
                raise ConfigError("merge reports EVENT_ID: one event")
            print(json.dumps(crossreport.reports_of(store, args.ids[0]), indent=2))
        else:
            n = crossreport.remerge_all(store)
            print(f"{args.db}: {n} machine-coded events after regrouping every report.",
                  file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import check_gate, format_parts, format_report, run_evals
    from .extract import Extractor

    extractor = Extractor(model=_model_choice(args))
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


def _model_choice(args: argparse.Namespace) -> str | None:
    """The event-type model ``--model`` asks for: None (the built-in model), ``none`` (the
    rules alone), or a model folder written by ``eventscope train``, checked here so that a
    bad folder is a usage error before any document is read (each worker loads it again)."""
    choice = getattr(args, "model", None)
    if choice is None or choice == "none":
        return choice
    from .errors import ModelError
    from .extract.typemodel import TypeModel

    try:
        TypeModel.load(Path(choice))
    except ModelError as exc:
        raise ConfigError(str(exc)) from exc
    return str(choice)


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


def cmd_trends(args: argparse.Namespace) -> int:
    from .store import Store
    from .trends import series

    top = args.top if args.top is not None else (10 if args.format == "table" else None)
    with Store.open(args.db, read_only=True) as store:
        t = series(store, _filter_from_args(args), by=args.by, every=args.every,
                   origin=args.origin, top=top)
    if args.format == "json":
        print(json.dumps(t.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=["key", "country", "period", "events",
                                                   "fatalities"], lineterminator="\n")
        w.writeheader()
        w.writerows(t.rows())
    else:
        # One row per period, one column per group: "events (fatalities)".
        rows = []
        for i, label in enumerate(t.labels()):
            row: dict[str, Any] = {"period": label}
            for j, s in enumerate(t.series):
                row[f"g{j}"] = f"{s.events[i]} ({s.fatalities[i]})"
            rows.append(row)
        cols = [("period", args.every, 8)] + [(f"g{j}", s.key, 24)
                                              for j, s in enumerate(t.series)]
        print(_table(rows, cols) if t.series else "(no events)")
        note = f" ({t.left_out} events dated too coarsely left out)" if t.left_out else ""
        print(f"\nevents (fatalities) per {args.every} for the {len(t.series)} largest "
              f"groups by {args.by}{note}.", file=sys.stderr)
    return 0


ALERT_TABLE = (
    ("period", "period", 8),
    ("key", "group", 30),
    ("measure", "measure", 10),
    ("observed", "seen", 6),
    ("expected", "baseline", 8),
    ("ratio", "ratio", 6),
    ("p_value", "p", 9),
    ("test", "test", 17),
    ("rule", "rule", 30),
)


def cmd_alerts(args: argparse.Namespace) -> int:
    from .alerts import atom_feed, find_alerts, last_ingested, load_rules
    from .query import parse_date
    from .store import Store

    rules = load_rules(args.rules)
    with Store.open(args.db, read_only=True) as store:
        found = find_alerts(store, rules, since=parse_date(args.since, what="--since"),
                            until=parse_date(args.until, what="--until"), last=args.last)
        updated = last_ingested(store)
    if args.format == "json":
        print(json.dumps(found, ensure_ascii=False, indent=2))
    elif args.format == "atom":
        sys.stdout.write(atom_feed(found, base_url=args.base_url, fallback_updated=updated))
    else:
        shown = [{**a, "p_value": f"{a['p_value']:.2g}"} for a in found]
        print(_table(shown, ALERT_TABLE) if found else "(no surges)")
        print(f"\n{len(found)} surges from {len(rules)} rules.", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    serve(
        db=_existing_db(args.db),
        host=args.host,
        port=args.port,
        token=args.token,
        read_token=args.read_token,
        alert_rules=args.rules,
    )
    return 0


# --------------------------------------------------------------------------- parser
class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default after its help (when it has one); epilogs kept as written."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if (
            default not in (None, False, 0, argparse.SUPPRESS)
            and "%(default)" not in text
            and action.option_strings
        ):
            text += " (default: %(default)s)"
        return text


def _verbose(p: argparse.ArgumentParser) -> None:
    # -v is accepted after the subcommand too (`eventscope ingest x -v`); the two counts add
    p.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        dest="sub_verbose",
        help="more log output (-vv for debugging)",
    )


def _subcommand(sub: Any, name: str, help: str, example: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help,
        description=help[:1].upper() + help[1:] + ".",
        epilog=f"example:\n  {example}\n\n{EXIT_STATUSES}",
        formatter_class=_HelpFormatter,
    )
    _verbose(p)
    return p


def _add_filters(p: argparse.ArgumentParser) -> None:
    from .records import ACLED_EVENT_TYPES

    p.add_argument("--since", metavar="YYYY-MM-DD", help="events on or after this date")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="events on or before this date")
    p.add_argument(
        "--country", help="country name, ISO alpha-2 or alpha-3 code (Nigeria, NG, NGA; any case)"
    )
    p.add_argument("--admin1", help="province / state / region")
    p.add_argument("--bbox", metavar="W,S,E,N", help="bounding box in degrees")
    p.add_argument(
        "--text",
        help="text in the article, an actor or the location (%%, _ and \\ match themselves)",
    )
    p.add_argument(
        "--include-rejected", action="store_true", help="include events an analyst rejected"
    )
    p.add_argument("--type", help="ACLED event type, any case: " + ", ".join(ACLED_EVENT_TYPES))
    p.add_argument("--sub-type", help="ACLED sub-event type, e.g. 'Armed clash'")
    p.add_argument("--actor", help="text in actor1, actor2 or associated actors")
    p.add_argument(
        "--min-fatalities",
        type=_non_negative,
        metavar="N",
        help="events with at least N fatalities",
    )


def _non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from exc
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return n


def _offset(value: str) -> int:
    n = _non_negative(value)
    if n > MAX_OFFSET:
        raise argparse.ArgumentTypeError(f"{value}: at most {MAX_OFFSET:,}")
    return n


def _positive(value: str) -> int:
    n = _non_negative(value)
    if n == 0:
        raise argparse.ArgumentTypeError("give 1 or more")
    return n


def _seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from exc
    if not n >= 0 or n == float("inf"):
        raise argparse.ArgumentTypeError(f"{value}: give seconds (0 for no limit)")
    return n


def _port(value: str) -> int:
    n = _non_negative(value)
    if not 0 < n < 65536:
        raise argparse.ArgumentTypeError(f"{value}: a port is 1-65535")
    return n


def _add_reading(p: argparse.ArgumentParser) -> None:
    from .extract.pipeline import DOC_TIMEOUT, MAX_CHARS

    p.add_argument(
        "--published", metavar="YYYY-MM-DD", help="publication date of inputs that carry none"
    )
    p.add_argument("--fetch", action="store_true", help="allow fetching http(s) URLs")
    p.add_argument(
        "--doc-timeout",
        type=_seconds,
        default=DOC_TIMEOUT,
        metavar="SECONDS",
        help="time one document may take before it is skipped with an error (0: no limit)",
    )
    p.add_argument(
        "--max-chars",
        type=_positive,
        default=MAX_CHARS,
        metavar="N",
        help="longest text one document may have; longer ones are skipped with "
        "an error (split them)",
    )


def _add_engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="extract in N processes (each loads the model once; default 1); with --engine "
        "ray, the CPUs of a local Ray cluster",
    )
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="where extraction runs: this machine (default) or a Ray cluster (pip install "
        "'eventscope[ray]')",
    )
    p.add_argument(
        "--address",
        metavar="ADDR",
        help="with --engine ray: the cluster to join (e.g. ray://head:10001 or auto); "
        "default: start a local one",
    )


def _add_origin(p: argparse.ArgumentParser) -> None:
    p.add_argument("--origin", choices=("machine", "acled"),
                   help="only events coded by eventscope (machine) or imported from ACLED")


def build_parser() -> argparse.ArgumentParser:
    from .store import DEFAULT_DB

    parser = argparse.ArgumentParser(
        prog="eventscope",
        description="News reports in, a geocoded, evidence-linked database of conflict events out.",
        epilog="example:\n  eventscope ingest corpus/ --db events.duckdb && eventscope events "
        "--db events.duckdb --country NGA\n\n" + EXIT_STATUSES,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"eventscope {__version__}")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="more log output (-vv for debugging; also after the command)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _subcommand(
        sub,
        "extract",
        "extract events as contract JSON (CONTRACT.md)",
        "eventscope extract article.txt --published 2022-05-12 -o events.jsonl",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, URL or - (stdin)")
    _add_reading(p)
    p.add_argument(
        "--format",
        choices=("jsonl", "json", "table"),
        help="default: table on a terminal, else jsonl",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
    p.add_argument(
        "--relevance",
        nargs="?",
        const="any",
        metavar="REGION",
        help="also judge whether each document reports a specific incident of political "
        "violence (MUC-4's relevance), in REGION: a shipped region (muc4), a region YAML "
        "file, or 'any' (the default when REGION is left out)",
    )
    _add_engine_options(p)
    _add_model(p)
    p.set_defaults(func=cmd_extract)

    p = _subcommand(
        sub,
        "ingest",
        "read articles, extract their events, store them",
        "eventscope ingest corpus/ feed.rss crawl.warc.gz --db events.duckdb",
    )
    p.add_argument(
        "inputs", nargs="*", metavar="PATH", help="file, folder, URL (with --fetch) or - (stdin)"
    )
    p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file (created when missing)")
    _add_reading(p)
    p.add_argument("--no-extract", action="store_true", help="store articles only")
    p.add_argument(
        "--reextract",
        action="store_true",
        help="re-extract articles already stored (analysts' corrections are kept)",
    )
    _add_engine_options(p)
    _add_model(p)
    p.add_argument(
        "--no-merge",
        action="store_true",
        help="keep each article's events apart (no cross-report merging)",
    )
    p.set_defaults(func=cmd_ingest)

    p = _subcommand(
        sub,
        "events",
        "list stored events with filters",
        "eventscope events --db events.duckdb --country NGA --type Battles --since 2020-01-01",
    )
    p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file")
    _add_filters(p)
    p.add_argument("--limit", type=_positive, default=50, help="events shown")
    p.add_argument("--offset", type=_offset, default=0, help="events skipped first")
    p.add_argument("--format", choices=("table", "json"), default="table")
    _add_origin(p)
    p.set_defaults(func=cmd_events)

    p = _subcommand(
        sub,
        "export",
        "export events to CSV (ACLED columns), GeoJSON or Parquet",
        "eventscope export --db events.duckdb --country Nigeria -o nigeria.csv",
    )
    p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file")
    p.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="FILE",
        help="file to write (its folder must exist)",
    )
    p.add_argument(
        "--format",
        choices=("csv", "geojson", "parquet"),
        help="default: from the output file's extension",
    )
    _add_filters(p)
    _add_origin(p)
    p.add_argument("--inter-numeric", action="store_true",
                   help="CSV: ACLED's numeric inter/interaction codes instead of text labels")
    p.add_argument("--bom", action="store_true",
                   help="CSV: start with a UTF-8 byte-order mark (for Excel)")
    p.set_defaults(func=cmd_export)

    p = _subcommand(
        sub,
        "import-acled",
        "load an ACLED CSV export beside the machine-coded events (origin 'acled')",
        "eventscope import-acled 2020-Nigeria.csv --db events.duckdb",
    )
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file")
    p.set_defaults(func=cmd_import_acled)

    p = _subcommand(
        sub,
        "merge",
        "reports of one event: list them, split or join events, or regroup every report",
        "eventscope merge split EVENT_ID REPORT_ID --db events.duckdb --author me",
    )
    p.add_argument("action", choices=("reports", "split", "join", "regroup"))
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="reports: EVENT; split: EVENT REPORT...; join: EVENT EVENT...")
    p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file")
    p.add_argument("--author", help="who decided (split/join)")
    p.add_argument("--note")
    p.set_defaults(func=cmd_merge)

    p = _subcommand(
        sub,
        "eval",
        "score extraction against gold files",
        "eventscope eval ../shared/data/dev/acled_2020_dev.jsonl --gate quality/pins.json",
    )
    p.add_argument("gold", nargs="+", metavar="GOLD.jsonl")
    p.add_argument("--gate", metavar="PINS.json", help="fail when a score drops below its pin")
    p.add_argument("--output", "-o", metavar="FILE", help="write the scores as JSON")
    p.add_argument("--limit", type=_positive, help="score only the first N documents of each file")
    _add_model(p)
    p.set_defaults(func=cmd_eval)

    p = _subcommand(
        sub,
        "train",
        "train the event-type model on ACLED-format gold (your own export)",
        "eventscope train my_acled_notes.jsonl -o my-model/   # then: extract --model my-model/",
    )
    p.add_argument("gold", nargs="*", metavar="GOLD.jsonl")
    p.add_argument("--output", "-o", metavar="DIR", help="model directory")
    p.add_argument("--l2", type=float, default=1.0, help="L2 penalty")
    p.add_argument(
        "--builtin",
        action="store_true",
        help="train the built-in model from the project's own corpus into the user cache",
    )
    p.set_defaults(func=cmd_train)

    p = _subcommand(
        sub,
        "gazetteer",
        "build, import or inspect the offline gazetteer",
        "eventscope gazetteer info",
    )
    p.add_argument("action", choices=("build", "import", "info"))
    p.add_argument("files", nargs="*", metavar="FILE", help="GeoNames dump files (import)")
    p.add_argument("--path", help="gazetteer file (default: the user cache)")
    p.set_defaults(func=cmd_gazetteer)

    p = _subcommand(
        sub,
        "trends",
        "events and fatalities per week or month, by group",
        "eventscope trends --db events.duckdb --by country --every week --since 2024-01-01",
    )
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--by", choices=("country", "admin1", "actor", "event_type"),
                   default="country")
    p.add_argument("--every", choices=("week", "month"), default="month")
    p.add_argument("--origin", choices=("machine", "acled"),
                   help="only machine-coded or only imported ACLED events")
    p.add_argument("--top", type=int, metavar="N",
                   help="the N groups with the most events (table default 10, else all)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    _add_filters(p)
    p.set_defaults(func=cmd_trends)

    p = _subcommand(
        sub,
        "alerts",
        "surges: periods improbably high against their baseline",
        "eventscope alerts --db events.duckdb --rules my_rules.yaml --format atom",
    )
    p.add_argument("--db", default=DEFAULT_DB)
    p.add_argument("--rules", metavar="FILE",
                   help="alert rules (YAML; default: the shipped data/alert_rules.yaml)")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="read events on or after this date")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="read events on or before this date")
    p.add_argument("--last", type=int, metavar="N",
                   help="only surges in each rule's last N periods")
    p.add_argument("--format", choices=("table", "json", "atom"), default="table")
    p.add_argument("--base-url", default="http://127.0.0.1:8000",
                   help="the dashboard's address, for the Atom feed's links")
    p.set_defaults(func=cmd_alerts)

    p = _subcommand(
        sub,
        "serve",
        "the HTTP API and dashboard",
        'eventscope serve --db events.duckdb --token "$TOKEN"   # then open http://127.0.0.1:8000',
    )
    p.add_argument("--db", default=DEFAULT_DB, help="DuckDB file")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (0.0.0.0 exposes the database to the network)",
    )
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument("--token", help="token for writes (or EVENTSCOPE_TOKEN)")
    p.add_argument("--read-token", help="require this token for reads too")
    p.add_argument("--rules", metavar="FILE", help="alert rules of /api/alerts and "
                   "/alerts.atom (default: the shipped data/alert_rules.yaml)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    verbosity = args.verbose + getattr(args, "sub_verbose", 0)
    level = logging.WARNING - 10 * min(verbosity, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if verbosity == 0:
        # trafilatura and htmldate log what they discard ("discarding data: None") at
        # WARNING; a page without text already gets its own error line
        for name in ("trafilatura", "htmldate", "charset_normalizer"):
            logging.getLogger(name).setLevel(logging.ERROR)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"eventscope: error: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:  # StoreBusyError included: it names the process holding it
        print(f"eventscope: error: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("eventscope: interrupted", file=sys.stderr)
        return 130
    except EventscopeError as exc:
        print(f"eventscope: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
