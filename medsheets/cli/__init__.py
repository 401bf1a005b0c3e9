"""The `medsheets` command: a click group whose commands each live in their own module.

Commands stay thin (options in, one library call, output out). Exceptions for the environment
(`MedsheetsError`) become one line on stderr and exit code 2; a traceback only with -v. The
handling lives in the group itself, so click's CliRunner sees exactly what a user sees.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from medsheets import __version__
from medsheets.errors import MedsheetsError

EXIT_OK, EXIT_HELD, EXIT_CANNOT_RUN = 0, 1, 2
EXIT_CLOSED_PIPE = 141


class MedsheetsGroup(click.Group):
    """A group that turns environment errors and bugs into one line on stderr and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # `medsheets check DAY.xlsx | head`: the reader has had enough
            _quiet_after_closed_pipe()
        except MedsheetsError as exc:
            _fail(ctx, f"medsheets: error: {exc}")
        except KeyboardInterrupt:
            _fail(ctx, "medsheets: interrupted; nothing was half-written")
        except Exception as exc:  # a bug: say so plainly, the traceback only on request
            _fail(ctx, f"medsheets: internal error ({type(exc).__name__}); run again with -v "
                       "for the traceback, and report it")


def _quiet_after_closed_pipe() -> None:
    """End as a command whose reader closed the pipe does: silently, with SIGPIPE's status
    (128 + 13), and with stdout pointed at /dev/null so Python's own flush at exit stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_CLOSED_PIPE)


def _fail(ctx: click.Context, message: str) -> None:
    if (ctx.obj or {}).get("verbose"):
        traceback.print_exc()
    click.echo(message, err=True)
    ctx.exit(EXIT_CANNOT_RUN)


@click.group(cls=MedsheetsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(__version__, prog_name="medsheets")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Billing automation for small medical practices that live in Excel."""
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def _register_commands() -> None:
    # One module per command group; each exposes `commands`, a list of click commands.
    from medsheets.cli import (
        acks,
        aging,
        benefits,
        check,
        claims,
        denials,
        eligibility,
        estimate,
        init,
        invoices,
        payments,
        remit,
        run,
    )

    for module in (init, run, eligibility, benefits, estimate, check, claims, remit, acks, payments, denials, invoices, aging):
        for command in module.commands:
            cli.add_command(command)


_register_commands()


def main() -> None:
    cli(prog_name="medsheets")
