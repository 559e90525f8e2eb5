"""Browser commands: viz (one chain map) and report (the static site)."""
from __future__ import annotations

from pathlib import Path

import click

__all__ = ["register"]


def register(cli):
    cli.add_command(viz)
    cli.add_command(report)


def _open(path: Path):
    click.launch(path.resolve().as_uri())


@click.command()
@click.option("--chain", "-c", required=True, help="The chain to draw (name or id).")
@click.option("--region", "-r", help="Only count nodes located in this region or zone (or inside it).")
@click.option("--output", "-o", "out", type=click.Path(dir_okay=False), default=None,
              help="The HTML file to write (default: chain-map.html).")
@click.option("--group-over", type=click.IntRange(1), default=None,
              help="Fold a link's enterprises into one count node past this many (default 300).")
@click.option("--open", "open_", is_flag=True, help="Open the page in the default browser.")
@click.pass_obj
def viz(ws, chain, region, out, group_over, open_):
    """Draw one chain as an interactive map (one offline HTML file, vis-network).

    Links run left to right by stage and along supplies; enterprises sit below their link,
    technologies and innovation resources above. Gaps are marked: innovation-gap links red,
    links without enterprises hollow, untackled technologies dashed, 卡脖子 with ⚠.

    \b
    Example:
      kjqg viz --chain 新能源汽车 --region 柳州市 -o nev.html --open
    """
    from ..viz import GROUP_OVER, chain_map, render_chain_page
    kg = ws.load()
    cmap = chain_map(kg, chain, region, group_over=group_over or GROUP_OVER)
    path = Path(out or "chain-map.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_chain_page(cmap), encoding="utf-8")
    grouped = f", {len(cmap.groups)} enterprise groups" if cmap.groups else ""
    click.echo(f"wrote {path} ({len(cmap.ids)} nodes, {len(cmap.edges)} edges{grouped})", err=True)
    click.echo(str(path.resolve()))
    if open_:
        _open(path)


@click.command()
@click.option("--output", "-o", "out", type=click.Path(file_okay=False), default="report", show_default=True,
              help="The folder to write the site into.")
@click.option("--region", "-r", help="Only count nodes located in this region or zone (or inside it).")
@click.option("--open", "open_", is_flag=True, help="Open the index in the default browser.")
@click.pass_obj
def report(ws, out, region, open_):
    """Write the static report: every chain with its scores, and per chain its map, the three lists
    and the gaps as sortable tables, downloadable as CSV and XLSX. Works offline from file://.

    \b
    Example:
      kjqg report -o report --open
    """
    from ..viz import write_report
    kg = ws.load()
    index = write_report(kg, out, region, progress=lambda c: click.echo(f"  {c}", err=True))
    click.echo(f"wrote the report to {index.parent}", err=True)
    click.echo(str(index.resolve()))
    if open_:
        _open(index)
