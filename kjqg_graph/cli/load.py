"""Loading commands: load, template, seed."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..errors import LoadError

KINDS = ["links", "enterprises", "resources", "technologies", "targets", "regions"]
SEEDS_DIR = Path(__file__).resolve().parents[2] / "seed_graphs"


def register(cli):
    cli.add_command(load)
    cli.add_command(template)
    cli.add_command(seed)


def _load(ws, files, **opts):
    from ..loading import load_files
    try:
        summary = load_files(ws, files, progress=True, **opts)
    except LoadError as e:
        raise click.ClickException(str(e)) from None
    click.echo(summary.text(), nl=False, err=True)
    out = os.environ.get("KJQG_LOAD_TIMINGS")
    if out:                 # seconds per phase, as JSON: on stderr for 1/true/yes, else into that file
        text = json.dumps({**summary.timings, "total": round(summary.seconds, 3)})
        if out.lower() in ("1", "true", "yes", "on"):
            click.echo(f"timings: {text}", err=True)
        else:               # (benchmarks/stage_load.py)
            Path(out).write_text(text, encoding="utf-8")
    return summary


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--kind", "-k", type=click.Choice(KINDS), help="The list kind (default: recognised from the headers).")
@click.option("--sheet", help="Only this sheet of an .xlsx file.")
@click.option("--chain", help="The 产业链 of rows that name none (a chain office's own list).")
@click.option("--dry-run", "-n", is_flag=True, help="Check and show what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True,
              help="Load the valid rows; write the rejected ones with their reasons to NAME.rejects.csv.")
@click.option("--encoding", help="Force the text encoding of CSV files (default: UTF-8, UTF-8 BOM or GB18030).")
@click.option("--update", is_flag=True, help="Let the file win where it disagrees with the workspace; list the changes.")
@click.option("--as-of", "as_of", help="Date the facts hold as of (YYYY-MM-DD; default: today).")
@click.pass_obj
def load(ws, files, kind, sheet, chain, dry_run, skip_invalid, encoding, update, as_of):
    """Load list files (.xlsx, .csv, .tsv, .json, .jsonl) into the workspace, all or nothing.

    Every file is checked first; any problem is printed as file:row:column: reason and nothing
    is written. Loading the same file again changes nothing.

    \b
    Example:
      kjqg load links.csv technologies.csv 企业清单.xlsx
      kjqg load 柳州企业.csv --chain 新能源汽车 --dry-run
    """
    if as_of is not None:
        import datetime as dt
        try:
            as_of = dt.date.fromisoformat(as_of).isoformat()
        except ValueError:
            raise click.BadParameter(f"{as_of!r} is not a date YYYY-MM-DD", param_hint="--as-of") from None
    _load(ws, list(files), kind=kind, sheet=sheet, chain=chain, dry_run=dry_run, skip_invalid=skip_invalid,
          encoding=encoding, update=update, as_of=as_of)


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=str),
              help="FILE.xlsx (drop-downs and a 填写说明 sheet) or FILE.csv (headers only). "
                   "Default: KIND-template.xlsx")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def template(kind, output, force):
    """Write a blank list template with the canonical headers.

    The .xlsx template has drop-downs for the enumerated columns and a second sheet explaining
    every column in Chinese with an example row.

    \b
    Example:
      kjqg template enterprises -o 企业清单.xlsx
    """
    from ..loading.template import write_template
    out = Path(output or f"{kind}-template.xlsx")
    if out.exists() and not force:
        raise click.ClickException(f"{out} already exists; pass --force to overwrite it or choose another -o")
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter(f"{out.name}: give a .xlsx or .csv file name", param_hint="--output")
    write_template(kind, out)
    click.echo(f"wrote {out}", err=True)


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the available seeds.")
@click.option("--dry-run", "-n", is_flag=True, help="Check and show what would change; write nothing.")
@click.pass_obj
def seed(ws, name, list_, dry_run):
    """Load a seed graph (every list file in seed_graphs/NAME/) through the normal loader.

    \b
    Example:
      kjqg seed guangxi
      kjqg seed --list
    """
    seeds = sorted(p.name for p in SEEDS_DIR.iterdir() if p.is_dir()) if SEEDS_DIR.is_dir() else []
    if list_ or not name:
        if not seeds:
            raise click.ClickException(f"no seeds found in {SEEDS_DIR}")
        for s in seeds:
            click.echo(s)
        return
    if name not in seeds:
        raise click.ClickException(f"no seed {name!r}; available: {', '.join(seeds) or '(none)'}")
    from ..loading.readers import SUFFIXES
    files = sorted(str(p) for p in (SEEDS_DIR / name).iterdir() if p.suffix.lower() in SUFFIXES
                   and ".rejects" not in p.name)
    _load(ws, files, dry_run=dry_run)
