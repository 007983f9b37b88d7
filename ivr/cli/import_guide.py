"""`ivr import`: draft a script from a written guide, its decisions marked."""

from __future__ import annotations

from pathlib import Path

import click

from ivr.cli.group import main
from ivr.errors import GuideError
from ivr.guide.importing import import_guide


@main.command("import")
@click.argument("guide", type=click.Path(path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Where to write the draft (default: drafts/<the guide's name>.yaml, out of the "
    "app's way: a script with a decision still to make stops the app from starting).",
)
@click.option("--force", is_flag=True, help="Write over a file that is there already.")
def import_command(guide: Path, output: Path | None, force: bool) -> None:
    """Draft a script from GUIDE, a written guide in the guides' shape ("What to do if...",
    Short answer, Do not do these things, What to do now, ... Additional Resources).

    The draft says the guide in its own words, by phone and by text. What the guide does
    not say (a key for a branch, a phone number for a route named only by its website) is
    a line holding DECIDE: and the question; `ivr validate` refuses the script until each
    is made. A file not in the shape is refused, naming the line. Example:

        ivr import guides/new-guide.txt     (writes drafts/new-guide.yaml)

    Once it validates, move it to scripts/ to serve it: drafts/ sits beside scripts/, so
    the path to its guide stays right.
    """
    # Not scripts/: IVR_SCRIPTS serves scripts/*.yaml by default, and the app refuses to
    # start with a draft among them, so a draft written there would take the line down
    # at its next restart.
    output = output or Path("drafts") / f"{guide.stem}.yaml"
    if output.exists() and not force:
        raise click.ClickException(
            f"{output} is there already. Name another file with --output, or write over it "
            "with --force."
        )
    try:
        imported = import_guide(guide, output)
    except GuideError as exc:
        raise click.ClickException(
            f"{guide} is not a guide in the guides' shape, so nothing was written:\n{exc}"
        ) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(imported.text, encoding="utf-8")
    count = imported.decisions
    click.echo(
        f"Wrote {output}: a draft with {count} decision{'' if count == 1 else 's'} to make "
        "(each line holding DECIDE:). Make them, then check it: ivr validate "
        f"{output}"
    )
