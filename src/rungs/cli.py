"""`rungs` — the command line. Subcommands:

demo       create/migrate the embedded SQLite database, load demo data, serve on 127.0.0.1
serve      serve the web app (development server; use gunicorn in production, see README)
worker     run background tasks (Django tasks, database-backed queue)
evaluate   evaluate a policy on a data set, without a server or database (INTERCHANGE.md contract)
rewards    run a policy's reward plans for one cycle on a data set, without a server or database
effect     whether a reward plan paid off: KPIs before/after, covered against not (difference in differences)
import     import a data set into the database (preview with --dry-run; all or nothing; idempotent)
export     export the database as a data set (folder of CSV files or .xlsx)
manage     any Django management command, e.g. `rungs manage migrate`
"""

from __future__ import annotations

import argparse
import os
import sys


def _django(debug: bool = False, signs_nothing: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rungs.settings")
    if debug:
        os.environ.setdefault("DEBUG", "1")
    if signs_nothing:  # a one-off command has no sessions or cookies to sign: it runs without SECRET_KEY
        os.environ.setdefault("RUNGS_INSECURE_DEV_KEY", "1")
    import django

    django.setup()


def _manage(*argv: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rungs", *argv])


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def cmd_demo(args) -> int:
    if not _port_free(args.host, args.port):
        print(
            f"rungs demo: 端口 {args.port} 已被占用，请换一个端口，例如 make run PORT={args.port + 1}"
            f" / port {args.port} on {args.host} is in use; choose another, e.g. make run PORT={args.port + 1}",
            file=sys.stderr,
        )
        return 1
    _django(debug=True)
    import subprocess

    from django.conf import settings

    from rungs.demo.seed import DEMO_PASSWORD

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    _manage("migrate", "--verbosity", "0")
    _manage("load_demo", "--employees", str(args.employees))
    # The worker runs queued evaluations (a company too large to evaluate inside a request).
    worker = subprocess.Popen(
        [sys.executable, "-m", "rungs.cli", "worker", "--no-reload"], env=os.environ.copy()
    )
    url = f"http://{args.host}:{args.port}/"
    print(
        f"\nRungs 已启动 / is running: {url}\n演示账号 / demo logins: demo-agent, demo-team-lead, demo-supervisor, "
        f"demo-qa-training, demo-department-manager, demo-hr, demo-executive, demo-admin "
        f"(密码 / password: {DEMO_PASSWORD})\n后台任务进程已启动 / the worker is running (pid {worker.pid}).\n"
        f"按 Ctrl+C 停止 / Ctrl+C stops.\n",
        flush=True,
    )
    try:
        _manage("runserver", f"{args.host}:{args.port}", "--noreload", "--skip-checks")
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return 0


def cmd_serve(args) -> int:
    _django()
    _manage("runserver", f"{args.host}:{args.port}", "--noreload")
    return 0


def cmd_worker(args) -> int:
    _django()
    _manage("db_worker", *args.rest)
    return 0


def cmd_import(args) -> int:
    _django(signs_nothing=True)
    _manage("import_data", args.path, *(["--dry-run"] if args.dry_run else []))
    return 0


def cmd_export(args) -> int:
    _django(signs_nothing=True)
    _manage("export_data", args.path)
    return 0


def cmd_manage(args) -> int:
    _django()
    _manage(*args.rest)
    return 0


# The commands that run on files alone, and the help line of each. Only the module of the command given
# is imported: `rungs evaluate` is timed from process start, and the statistics libraries of `effect`
# alone take longer to import than a small evaluation takes to run.
FILE_COMMANDS = {
    "evaluate": ("evaluate_cli", "evaluate a policy on a data set (评估晋升资格)"),
    "rewards": ("rewards_cli", "run the reward plans for one cycle on a data set (奖励计算)"),
    "effect": ("effect_cli", "whether a reward plan paid off, on a data set (方案效果评估)"),
}


def main(argv: list[str] | None = None) -> int:
    import importlib

    given = sys.argv[1:] if argv is None else argv
    wanted = [c for c in FILE_COMMANDS if c in given[:1]] or list(FILE_COMMANDS)
    p = argparse.ArgumentParser(
        prog="rungs", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser("demo", help="start with the embedded SQLite database and demo data (演示)")
    demo.add_argument("--employees", type=int, default=120, help="size of the demo department (default 120)")
    serve = sub.add_parser("serve", help="serve the web app with the configured database")
    for s in (demo, serve):
        s.add_argument("--host", default="127.0.0.1")
        s.add_argument("--port", type=int, default=8000)
    worker = sub.add_parser("worker", help="run background tasks (django-tasks-db db_worker)")
    worker.add_argument("rest", nargs=argparse.REMAINDER)
    runs = {}
    for name, (module, help_text) in FILE_COMMANDS.items():
        parser = sub.add_parser(name, help=help_text)
        if name in wanted:
            cli = importlib.import_module(f"rungs.core.{module}")
            cli.add_arguments(parser)
            runs[name] = cli.run
    imp = sub.add_parser("import", help="import a data set into the database (导入数据)")
    imp.add_argument("path", help="a folder of CSV files or an .xlsx workbook")
    imp.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    exp = sub.add_parser("export", help="export the database as a data set (导出数据)")
    exp.add_argument("path", help="a folder for CSV files, or a file name ending in .xlsx")
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    args, unknown = p.parse_known_args(argv)
    if unknown and args.command in ("worker", "manage"):  # their options belong to the Django command
        args.rest = [*unknown, *args.rest]
    elif unknown:
        p.error(f"unrecognized arguments: {' '.join(unknown)}")
    handler = {
        "demo": cmd_demo,
        "serve": cmd_serve,
        "worker": cmd_worker,
        "manage": cmd_manage,
        **runs,
        "import": cmd_import,
        "export": cmd_export,
    }[args.command]
    if argv is not None or args.command not in FILE_COMMANDS:
        return handler(args)
    # Run as the program on files: a reader closing the pipe early (`rungs evaluate ... | head`) ends it
    # quietly, as any Unix filter, and the process ends at once once its output is flushed: freeing the
    # frames of a 100,000-person run takes a tenth of a second for nothing (no database, no open work).
    try:
        code = handler(args)
        sys.stdout.flush()
    except OSError as exc:  # Polars reports a closed pipe as a plain OSError, Python as BrokenPipeError
        if not isinstance(exc, BrokenPipeError) and "broken pipe" not in str(exc).lower():
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = 1
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
