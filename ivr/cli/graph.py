"""`ivr graph`: draw a script's flow."""

from __future__ import annotations

from pathlib import Path

import click

from ivr import graph as flowchart
from ivr.cli import common
from ivr.cli.group import main
from ivr.script import CHANNELS, SMS, VOICE

DRAWN = (VOICE, SMS)  # the markdown page's pictures; WhatsApp with --channel whatsapp


@main.command()
@click.argument("scripts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_",
    type=click.Choice(["mermaid", "dot", "markdown", "svg"]),
    default="mermaid",
    show_default=True,
    help="Mermaid (GitHub, GitLab, wikis), Graphviz DOT, a Markdown page with the Mermaid "
    "(one picture a channel), or SVG laid out by Graphviz (the drawing /try shows).",
)
@click.option(
    "--channel",
    type=click.Choice([*CHANNELS, "all"]),
    help=f"Draw what one channel offers, in its words (default: {CHANNELS[0]}; for "
    "markdown, a picture for calls and one for texts); 'all' draws every channel in one "
    "picture.",
)
@click.option(
    "--steps/--no-steps",
    default=True,
    show_default=True,
    help="Draw each step of a steps node as a box of its own (/try draws --no-steps).",
)
@click.option(
    "--language",
    metavar="TAG",
    help="Draw one script in one of its languages (cy-GB): its keywords and labels in it.",
)
def graph(
    scripts: tuple[Path, ...], format_: str, channel: str | None, steps: bool, language: str | None
) -> None:
    """Draw SCRIPT's flow: every node, option and step, roles marked. The choices open at
    every node (danger, the main menu) are named on each box rather than drawn as arrows.
    Name several scripts to draw the guides one number offers together (in the order
    given, as IVR_SCRIPTS orders them), below the guide choice.

    Paste the Mermaid output into a Markdown file inside a ```mermaid block (GitHub and
    GitLab draw it), or write a picture: ivr graph x.yaml --format svg > flow.svg
    (needs Graphviz's dot: apt-get install graphviz).
    """
    library = common.load_library(scripts, (language,) if language else ())
    if language and library.choosing:
        raise click.ClickException("Draw one script at a time with --language.")

    def draw(on: str | None) -> flowchart.Flow:
        if language:  # the one script, as it speaks that language
            spoken = library.speaking(library.default, language)
            return flowchart.flow(spoken, on, steps=steps, fold=True)
        return flowchart.library_flow(library, on, steps=steps, fold=True)

    if format_ == "markdown":
        channels = DRAWN if channel is None else (None if channel == "all" else channel,)
        click.echo(flowchart.markdown(*(draw(on) for on in channels)), nl=False)
        return
    picture = draw(None if channel == "all" else channel or CHANNELS[0])
    if format_ == "svg":
        try:
            click.echo(flowchart.svg(picture), nl=False)
        except flowchart.GraphvizMissing as exc:
            raise click.ClickException(str(exc)) from None
        return
    if format_ == "mermaid":
        click.echo(flowchart.mermaid(picture, short=True), nl=False)
    else:
        click.echo(flowchart.dot(picture), nl=False)
