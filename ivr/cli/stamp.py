"""`ivr stamp SCRIPT --language TAG`: after checking a language's words against the
source as it is now, write each of its texts' `from:` fingerprint, so the translation
lint (X002) stops warning until the source changes again.

The file is edited in place, keeping its comments and layout (ivr.stamp), and loaded
again before it is written: a stamp never leaves a script that will not load.
"""

from __future__ import annotations

from pathlib import Path

import click

from ivr.cli.group import main
from ivr.errors import ScriptError
from ivr.loader import load_script, parse_script
from ivr.stamp import stamp


@main.command("stamp")
@click.argument("script", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--language", "-l", "tag", required=True, metavar="TAG",
              help="The language whose words were checked, like cy-GB.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Say what would be stamped; change nothing.")
def stamp_command(script: Path, tag: str, dry_run: bool) -> None:
    """Mark a language's translations as checked against the source words as they are now.

    Run it only after a translator has compared every listed text with its source: it
    says the translation is up to date, and `ivr validate` believes it.
    """
    try:
        loaded = load_script(script)
    except ScriptError as exc:
        raise click.ClickException(
            "The script does not load; fix it first:\n" + "\n".join(map(str, exc.problems))
        ) from None
    if tag not in loaded.languages:
        declared = ", ".join(loaded.languages) or "none"
        raise click.ClickException(
            f"{script} does not declare the language '{tag}' (it declares {declared}); "
            "add it under languages: first."
        )
    source = script.read_text(encoding="utf-8")
    done = stamp(source, loaded, tag)
    for what in done.stamped:
        click.echo(f"{'would stamp' if dry_run else 'stamped'} {script}, {what}")
    for what in done.left:
        click.echo(f"not stamped: {script}, {what}", err=True)
    if not done.stamped:
        click.echo(f"{script}: every {tag} text is already stamped with its source's words.")
        return
    try:
        parse_script(done.text, str(script))
    except ScriptError as exc:  # never write a file that would not load
        raise click.ClickException(
            "Stamping would leave the script unreadable, so nothing was written:\n"
            + "\n".join(map(str, exc.problems))
        ) from None
    if not dry_run:
        script.write_text(done.text, encoding="utf-8")
        click.echo(f"{script}: stamped {len(done.stamped)} {tag} text(s).")
