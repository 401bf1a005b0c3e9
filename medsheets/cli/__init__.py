"""The `medsheets` command: a click group whose commands each live in their own module.

Commands stay thin (options in, one library call, output out). Exceptions for the environment
(`MedsheetsError`) become one line on stderr and exit code 2; a traceback only with -v. The
handling lives in the group itself, so click's CliRunner sees exactly what a user sees.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import Any

import click

from medsheets import __version__
from medsheets.errors import MedsheetsError

EXIT_OK, EXIT_HELD, EXIT_CANNOT_RUN = 0, 1, 2
EXIT_CLOSED_PIPE = 141


class MedsheetsGroup(click.Group):
    """A group that turns environment errors and bugs into one line on stderr and exit 2, and
    that imports each command's module only when the command is asked for (`COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(f"medsheets.cli.{COMMANDS[cmd_name][0]}")
            for command in module.commands:
                if command.name in COMMANDS:
                    command.short_help = COMMANDS[command.name][1]
                self.add_command(command)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from `COMMANDS`, without importing a single command."""
        rows = [(name, COMMANDS[name][1] if name in COMMANDS
                 else self.commands[name].get_short_help_str()) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # `medsheets check DAY.xlsx | head`: the reader has had enough
            _quiet_after_closed_pipe()
        except OSError as exc:  # the environment: a full disk, a folder we may not write
            _fail(ctx, f"medsheets: error: {os_error_line(exc)}")
        except MedsheetsError as exc:
            _fail(ctx, f"medsheets: error: {exc}")
        except KeyboardInterrupt:
            _fail(ctx, "medsheets: interrupted; nothing was half-written")
        except Exception as exc:  # a bug: say so plainly, the traceback only on request
            _fail(ctx, f"medsheets: internal error ({type(exc).__name__}); run again with -v "
                       "for the traceback, and report it")


def os_error_line(exc: OSError) -> str:
    """One line for a file-system failure, naming the path and what to do."""
    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return (f"the disk is full (writing{where}); free some space and run again: nothing "
                "half-written was left")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"permission denied on{where}; give yourself write access to it (or choose "
                "another practice folder) and run again")
    if exc.errno == errno.EISDIR:
        return f"{where.strip()} is a folder where medsheets expected a file; move it away"
    return f"{exc.strerror or type(exc).__name__}{where}"


def _quiet_after_closed_pipe() -> None:
    """End as a command whose reader closed the pipe does: silently, with SIGPIPE's status
    (128 + 13), and with stdout pointed at /dev/null so Python's own flush at exit stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_CLOSED_PIPE)


def _fail(ctx: click.Context, message: str) -> None:
    if (ctx.obj or {}).get("verbose"):
        import traceback  # only for -v: every command's start is spared loading it

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


# Every command: its name -> (the module of medsheets/cli/ it lives in, its line in
# `medsheets --help`). A command's module, and whatever library it needs (WeasyPrint,
# SQLAlchemy, the ICD-10-CM index), is imported only when that command runs, so `--help` and a
# quick `check` start at once. The line here is the command's short help everywhere.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "Create a practice folder with a working example practice."),
    "init-ledger": ("init", "Make a moved ledger this practice folder's own (--adopt)."),
    "run": ("run", "Do the day's work for every new file in the practice folder."),
    "eligibility": ("eligibility", "Ask the payers whether the appointments are covered (270)."),
    "benefits": ("benefits", "Read the payers' eligibility answers (271) into the ledger."),
    "estimate": ("estimate", "Estimate what each appointment will cost; Good Faith Estimates."),
    "check": ("check", "Check encounter workbooks' codes and data before anything leaves."),
    "claims": ("claims", "Bill clean encounters as an X12 837P file; hold the rest with reasons."),
    "remit": ("remit", "Post the payers' 835 remittances: payments, adjustments, denials."),
    "acks": ("acks", "Read 999, 277CA and 277 answers: claims accepted, rejected, their status."),
    "payments": ("payments", "Post patient payments and paper EOBs from a payments workbook."),
    "denials": ("denials", "Write the worklist of rejected and denied claims to correct."),
    "resubmit": ("denials", "Send corrected and void claims from an edited denial worklist."),
    "invoices": ("invoices", "Write patient statements as PDFs, with emails to send."),
    "followup": ("followup", "Ask about unanswered claims (276); the follow-up worklist."),
    "aging": ("aging", "Write the weekly A/R aging workbook."),
    "collections": ("aging", "List (or hand over) the accounts due for collections."),
    "verify": ("verify", "Check every entry of the ledger against its rules."),
    "codes": ("codes", "Find ICD-10-CM codes for a provider's words; read a code's notes."),
}


def main() -> None:
    cli(prog_name="medsheets")
