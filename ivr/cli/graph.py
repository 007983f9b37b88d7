"""`ivr graph`: draw a script's flow."""

from __future__ import annotations

from pathlib import Path

import click

from ivr import graph as flowchart
from ivr.cli import common
from ivr.cli.group import main
from ivr.script import SMS, VOICE


@main.command()
@click.argument("script", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["mermaid", "dot", "markdown"]),
    default="mermaid",
    show_default=True,
    help="Mermaid (GitHub, GitLab, wikis), Graphviz DOT, or a Markdown page with the Mermaid.",
)
@click.option(
    "--channel",
    type=click.Choice([VOICE, SMS]),
    help="Draw only what callers (voice) or texters (sms) are offered; default both.",
)
def graph(script: Path, format_: str, channel: str | None) -> None:
    """Draw SCRIPT's flow: every node, option, step and global option, roles marked.

    Paste the Mermaid output into a Markdown file inside a ```mermaid block (GitHub and
    GitLab draw it), or render the DOT with Graphviz: ivr graph x.yaml --format dot | dot -Tsvg
    """
    picture = flowchart.flow(common.load_checked(script), channel)
    render = {"mermaid": flowchart.mermaid, "dot": flowchart.dot, "markdown": flowchart.markdown}
    click.echo(render[format_](picture), nl=False)
