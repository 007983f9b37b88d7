"""The `ivr` command group itself; each command lives in a module of its own beside it."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="helpline-ivr")
def main() -> None:
    """Helpline IVR: check, try and connect the helpline's scripts."""
