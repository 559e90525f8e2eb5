"""The ``kjqg`` command: one click group; each topic module adds its commands.

Commands parse options, call one library function, and format the result: data to stdout,
messages to stderr. Library errors (``KjqgError``) become a one-line message and exit code 1;
user mistakes never show a traceback.
"""
from __future__ import annotations

import importlib
import sys

import click

from ..errors import KjqgError

__all__ = ["main", "cli"]

# topic modules, each with a register(cli) function; imported when the command line is built
_MODULES = ["core", "load", "analysis", "neo4j", "rdf", "viz"]


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KjqgError as e:
            raise click.ClickException(str(e)) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise SystemExit(0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kjqg-graph")
@click.option("--workspace", "-w", envvar="KJQG_HOME", default=".kjqg", show_default=True,
              type=click.Path(file_okay=False), help="Workspace folder (env KJQG_HOME).")
@click.pass_context
def cli(ctx, workspace):
    """科技强桂 knowledge graph: chains, innovation resources, key technologies and their gaps.

    \b
    Example:
      kjqg init && kjqg seed guangxi && kjqg chains
    """
    from ..workspace import Workspace
    ctx.obj = Workspace(workspace)


for _name in _MODULES:
    try:
        _mod = importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_name}":
            raise
        continue
    _mod.register(cli)


def main():
    """The console script. Exits without tearing down the heap: freeing a 10^5-node graph object
    by object takes longer than reading it (0.4 s at 100k enterprises), and the OS frees it at once."""
    import atexit
    import os
    from .. import workspace
    workspace.KEEP_ALIVE = []       # graphs read stay alive: os._exit below frees them all at once
    try:
        cli.main(prog_name="kjqg")
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if not isinstance(e.code, (int, type(None))):
            print(e.code, file=sys.stderr)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    atexit._run_exitfuncs()
    os._exit(code)
