"""`ivr understand`: which words, phrase, pattern, typo fix, negation or age rule decided
what a message means."""

from __future__ import annotations

from pathlib import Path

import click

from ivr.cli import common
from ivr.cli.group import main
from ivr.script import SMS, VOICE
from ivr.understanding import for_script
from ivr.understanding.explain import explain


@main.command()
@click.argument("text")
@click.option(
    "--channel",
    type=click.Choice([SMS, VOICE]),
    default=SMS,
    show_default=True,
    help="Read it as a text, or as what a speech recogniser wrote for a caller.",
)
@click.option("--at", "node", help="The node the person is at (default: the main menu).")
@click.option(
    "--script",
    "script_path",
    type=click.Path(path_type=Path),
    help="The script whose words to use (default: the one script in scripts/).",
)
def understand(text: str, channel: str, node: str | None, script_path: Path | None) -> None:
    """Show how TEXT is read: disguises undone, typos fixed, idioms, each danger phrase or
    pattern and any clear denial of it, each topic and any negation that cancels it, the
    age rule, and the meaning the line acts on. For example:

        ivr understand "im not in danger, i just want it taken down"
    """
    script = common.load_checked(script_path)
    here = node or script.main.id
    if here not in script.nodes:
        known = ", ".join(sorted(script.nodes))
        raise click.ClickException(
            f"There is no node '{here}' in {script.path}. Use one of: {known}."
        )
    click.echo(f"{channel}, at node '{here}' of {script.id}: {text!r}")
    for line in explain(for_script(script, channel), text, here):
        click.echo(line)
