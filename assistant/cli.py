"""Command line: a thin shell over the Engine (ingest, ask, chat, serve, api, sources, config, eval)."""
from __future__ import annotations

import argparse
import json
import sys
import textwrap

from . import logs
from .citations import where
from .progress import terminal_progress
from .textutil import for_display
from .validation import top_k_arg


def _settings(args):
    from .settings import Settings

    return Settings.load(
        getattr(args, "config", None),
        corpus_dir=getattr(args, "corpus", None), index_dir=getattr(args, "index", None),
        backend=getattr(args, "backend", None), chroma_url=getattr(args, "chroma_url", None),
        top_k=getattr(args, "top_k", None),
    )


def cmd_ingest(args) -> int:
    from .engine import Engine

    engine = Engine(_settings(args))
    report = engine.ingest(rebuild=args.rebuild, progress=terminal_progress("Embedding"))
    print(report.summary())
    return 0


def _print_answer(answer, out=sys.stdout) -> None:
    for notice in answer.notices:
        print(f"note: {for_display(notice)}", file=out)
    text = for_display(answer.text)
    print(textwrap.fill(text, 100, replace_whitespace=False) if "\n" not in text else text, file=out)
    if answer.citations:
        print("\nSources:", file=out)
        for c in answer.citations:
            print(for_display(f"  [{c.n}] {where(c.title, c.section, c.page)} (chars {c.start}-{c.end})"), file=out)
            print(textwrap.indent(textwrap.fill(for_display(f"“{c.quote}”"), 96), "      "), file=out)


def cmd_ask(args) -> int:
    from .engine import Engine, QuestionError

    # One question per process: reading the whole corpus into the model's cache would cost more than it saves.
    engine = Engine(_settings(args).replace(llm_corpus_chars=0))
    try:
        if args.json:
            print(json.dumps(engine.ask(args.question, top_k=args.top_k, doc_ids=args.doc).to_json(),
                             ensure_ascii=False, indent=2))
            return 0
        answer = None
        for event in engine.session().ask_stream(args.question, top_k=args.top_k, doc_ids=args.doc):
            if event.kind == "status":
                print(f"({event.text})", file=sys.stderr)
            elif event.kind == "final":
                answer = event.answer
        assert answer is not None  # every stream ends with its final event
        _print_answer(answer)
    except QuestionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_chat(args) -> int:
    from .backends import StreamsChat
    from .engine import Engine, QuestionError

    engine = Engine(_settings(args))
    session = engine.session()
    engine.start_warm_up()  # while the user types
    print(f"Chatting with the corpus ({engine.backend_name}: {engine.model_name}). "
          "Commands: /reset, /quit.", file=sys.stderr)
    while True:
        try:
            question = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if question.strip() in ("/quit", "/exit"):
            return 0
        if question.strip() == "/reset":
            session.reset()
            print("(conversation cleared)")
            continue
        try:
            streamed = False
            for event in session.ask_stream(question, top_k=args.top_k):
                if event.kind == "status":
                    print(f"({event.text})", file=sys.stderr)
                elif event.kind == "token" and isinstance(engine.backend, StreamsChat):
                    if not streamed:
                        print("assistant> ", end="")
                    print(for_display(event.text), end="", flush=True)
                    streamed = True
                elif event.kind == "final":
                    if streamed:
                        print("\n\n(checked against the sources:)")
                    _print_answer(event.answer)
        except QuestionError as exc:
            print(f"error: {exc}")


def cmd_serve(args) -> int:
    from .settings import PROJECT_ROOT

    sys.path.insert(0, str(PROJECT_ROOT))
    import ui

    ui.main(_settings(args), host=args.host, port=args.port)
    return 0


def cmd_api(args) -> int:
    from .api.server import serve_api

    serve_api(_settings(args), host=args.host, port=args.port)
    return 0


def cmd_sources(args) -> int:
    from .engine import Engine
    from .sources import manage

    settings = _settings(args)
    try:
        if args.action == "add":
            if args.target == "factbook":
                codes = manage.factbook_codes(settings, countries=args.countries, related_to=args.related_to,
                                              everything=args.all)
                entries = manage.add_factbook(settings, codes)
                print(f"Wrote {len(entries)} World Factbook profiles to {settings.corpus_dir / manage.RELATED_DIR}: "
                      + ", ".join(e["title"].removeprefix("The World Factbook: ") for e in entries))
            elif not args.target:
                raise manage.SourceError("say what to add: factbook, a file path or a URL")
            elif args.target.lower().startswith(("http://", "https://")):
                entry = manage.add_url(settings, args.target, timeout_s=args.timeout)
                print(f"Downloaded {args.target} as {entry['id']} ({entry['title']})")
            else:
                entry = manage.add_file(settings, args.target)
                print(f"Added {args.target} as {entry['id']} ({entry['title']})")
        elif args.action == "remove":
            rel = manage.remove(settings, args.target)
            print(f"Removed {args.target} ({rel})")
        elif args.action == "list":
            engine = Engine(settings)
            rows = manage.list_sources(settings, engine.ensure_index(progress=terminal_progress("Building the index")))
            if args.json:
                print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
            else:
                _print_sources(rows)
            return 0
    except manage.SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.no_ingest:
        print("Not ingested (--no-ingest): run `assistant ingest` to update the index.")
        return 0
    report = Engine(settings).ingest(progress=terminal_progress("Embedding"))
    print(report.summary())
    return 0


def _print_sources(rows) -> None:
    width = max([len(r.doc_id) for r in rows] + [2])
    print(f"{'id':<{width}}  {'kind':<8}  {'chunks':>6}  {'added':<10}  title")
    for r in rows:
        print(f"{r.doc_id:<{width}}  {r.kind:<8}  {r.chunks:>6}  {r.added:<10}  {for_display(r.title)}")
    print(f"{len(rows)} documents, {sum(r.chunks for r in rows)} chunks")


def cmd_config(args) -> int:
    settings = _settings(args)
    print(json.dumps(settings.explain(), indent=2) if args.json else settings.explain_text())
    return 0


def cmd_eval(args, rest) -> int:
    from .eval.cli import main as eval_main

    return eval_main(rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML settings file")
    common.add_argument("--corpus", help="corpus folder (default: corpus/)")
    common.add_argument("--index", help="index folder (default: index/)")
    common.add_argument("--backend", choices=["auto", "local", "openai", "extractive"])
    common.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8001")
    logs.add_verbose_flag(common, default=argparse.SUPPRESS)  # `assistant -v ask` and `assistant ask -v` both work
    logs.add_verbose_flag(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="build or update the index")
    p.add_argument("--rebuild", action="store_true", help="re-embed everything")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", parents=[common], help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.add_argument("--top-k", type=top_k_arg, help="passages to read, 1 to 20 (default: settings.top_k)")
    p.add_argument("--doc", action="append", help="restrict to this document id (repeatable)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="chat in the terminal")
    p.add_argument("--top-k", type=top_k_arg, help="passages to read, 1 to 20 (default: settings.top_k)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("serve", parents=[common], help="start the web app (with the HTTP API beside it)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("api", parents=[common], help="start the HTTP API alone (OpenAI-compatible, see docs/api.md)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_api)

    p = sub.add_parser("sources", parents=[common], help="add, list or remove corpus sources",
                       description="assistant sources add factbook (--countries CODES | --related-to DOC_ID | --all)"
                                   " | assistant sources add PATH|URL | assistant sources list | "
                                   "assistant sources remove ID")
    p.add_argument("action", choices=["add", "list", "remove"])
    p.add_argument("target", nargs="?", default="", help="add: factbook, a file or a URL; remove: a document id")
    p.add_argument("--countries", type=lambda v: [c for c in v.split(",") if c.strip()],
                   help="factbook: comma-separated Factbook codes, e.g. af,pk,ti")
    p.add_argument("--related-to", metavar="DOC_ID",
                   help="factbook: the countries this document names, and those bordering Afghanistan")
    p.add_argument("--all", action="store_true", help="factbook: all 256 profiles")
    p.add_argument("--timeout", type=float, default=20.0, help="URL: seconds before giving up")
    p.add_argument("--no-ingest", action="store_true", help="change the corpus only; ingest later")
    p.add_argument("--json", action="store_true", help="list: as JSON")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("config", parents=[common], help="show the effective settings and where each came from")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_config)

    sub.add_parser("eval", help="run a golden set (see `assistant eval --help`)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    lead = 1 if argv[:1] in (["-v"], ["--verbose"]) else 0  # `assistant -v eval ...`
    if argv[lead:lead + 1] == ["eval"]:
        return cmd_eval(None, argv[lead + 1:] + argv[:lead])
    args = build_parser().parse_args(argv)
    logs.configure(verbose=args.verbose)
    from .settings import SettingsError

    try:
        return args.func(args) or 0
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
