"""The example practice's medsheets.toml, written as a person would keep it: with comments.

The text follows docs/files.md key for key, so that a new practice edits values rather than looking
up key names. Every identifier is fictional but well formed (the NPI has a valid check digit,
the EIN nine digits, the billing ZIP nine), so `medsheets.config.load_config` accepts it.
"""

from __future__ import annotations

from medsheets.example.people import DEFAULT_RENDERING_NPI, PRACTICE_NPI

PRACTICE_NAME = "Maple Street Family Medicine"

CONFIG_TEMPLATE = """\
# medsheets.toml: the practice's settings. Everything here is an example; put your own values
# in before sending a real claim. Text values stay in quotes so that leading zeros are kept.

[practice]                       # billing provider, 837 loop 2010AA
name = "{name}"
npi = "{npi}"               # 10 digits with a valid check digit (NPPES)
tax_id = "364821907"             # EIN, 9 digits, no dash
taxonomy = "207Q00000X"          # family medicine
address = "100 Maple St"
city = "Springfield"
state = "IL"
zip = "627011234"                # ZIP+4, 9 digits, no dash
phone = "2175550100"
default_place_of_service = "11"  # office
default_rendering_npi = "{rendering}"   # the clinician of a line that names none (Providers sheet)

[submitter]                      # who sends the claim files: loop 1000A, ISA06/GS02
id = "MAPLE01"
name = "{name}"
contact = "Pat Doe"
phone = "2175550100"

[receiver]                       # the clearinghouse: loop 1000B, ISA08/GS03
id = "CLEARHOUSE01"
name = "Example Clearinghouse"

[x12]
usage = "T"                      # ISA15: T test, P production

[statements]
due_days = 30
minimum_balance = 5.00
messages = ["", "Your account is past due.", "Second notice.", "Final notice before collections."]
collections_after_days = 120     # past due this long, with this many statements and no payment
collections_after_statements = 3 # since: listed on the aging workbook's Collections sheet
collections_minimum = 25.00      # a smaller balance is not worth an agency's fee
# cycle = "monthly:5"            # statements on the 5th of each month (default: every due_days,
                                 # per account); see docs/statements.md

[email]
host = "smtp.example.com"
port = 587
security = "starttls"            # starttls | ssl ; plain only to a loopback host (for testing)
username = "billing@maplestreet.example"
password_env = "MEDSHEETS_SMTP_PASSWORD"   # the password itself is never in this file
from = "billing@maplestreet.example"

[columns]                        # optional: your workbook's own header = medsheets column
"Pt Last" = "patient_last_name"
"""


def config_text() -> str:
    """The example medsheets.toml."""
    return CONFIG_TEMPLATE.format(name=PRACTICE_NAME, npi=PRACTICE_NPI, rendering=DEFAULT_RENDERING_NPI)
