"""`qa serve`: open the browser app over an index, at http://127.0.0.1:7860 by default."""

from __future__ import annotations

import argparse
import ipaddress
import logging

from index.errors import BadInput
from qa.commands.common import add_index_arg, add_model_arg

log = logging.getLogger(__name__)


def _auth(value: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise argparse.ArgumentTypeError(f"--auth {value!r} is not USER:PASS; pass e.g. --auth ana:s3cret")
    return user, password


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"port {value!r} is not a number from 1 to 65535; pass e.g. --port 7860")
    return int(value)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="open the browser app (chat, quotes, documents, evaluation)",
                              description="Serve the browser app (chat, quotes, documents, evaluation) over an index.")
    add_index_arg(p)
    add_model_arg(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=7860, help="port (default 7860)")
    p.add_argument("--auth", type=_auth, metavar="USER:PASS", help="require this login; recommended whenever --host is not loopback")
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from qa.engine import open_engine
    from ui.app import build_app, launch_app

    if not is_loopback(args.host) and args.auth is None:
        # Anyone who can reach the port can read every indexed source and upload or delete documents.
        log.warning("serving on %s without --auth: anyone on the network can read and change the index", args.host)
    engine = open_engine(args.index, args.model)
    try:
        app = build_app(engine)
    except OSError as exc:
        raise BadInput(f"cannot start the app: {exc}") from exc
    log.info("serving %s at http://%s:%d", engine.index_dir, args.host, args.port)
    try:
        # Once the page can load (started before, it delayed the port by 7 s on BBC), the model
        # and the merged quote index load while the user reads it and types.
        launch_app(app, args.host, args.port, args.auth, block=True, on_ready=engine.warm_up)
    except OSError as exc:
        raise BadInput(f"cannot listen on {args.host}:{args.port} ({exc}); pass another --port") from exc
    finally:
        engine.close()
    return 0
