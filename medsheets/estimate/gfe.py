"""The Good Faith Estimate for an uninsured or self-pay appointment (45 CFR 149.610).

What the rule asks for, and where it comes from here: the patient's name and date of birth
(the appointment row), the scheduled date, each item or service in plain words with its code
and expected charge (the Procedures sheet), the diagnosis codes where known (dx1..dx4), the
total, the provider's name, NPI, TIN and location ([practice] in medsheets.toml), the date
issued (`as_of`), and the notices: an estimate and not a contract, other care may be
recommended separately, the right to dispute a bill $400 or more above the estimate and how
(the CMS No Surprises website and help desk), in the template `gfe.html`.

Rendered exactly like the statements (`invoices.templates` sandboxed and autoescaped,
`invoices.render.PdfRenderer` with its locked-down fetcher and a fixed PDF title that names
nobody); the email, on request, is built by `invoices.message` like a statement's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from medsheets.config import Config
from medsheets.estimate.price import VisitEstimate
from medsheets.invoices import message, templates
from medsheets.invoices.render import PdfRenderer
from medsheets.model import CodeSets

PDF_TITLE = "Good Faith Estimate"
SUBJECT = "Your Good Faith Estimate from {practice}"


def gfe_file_name(appointment_id: str) -> str:
    return f"gfe-{appointment_id}.pdf"


def gfe_context(estimate: VisitEstimate, config: Config, codesets: CodeSets,
                issued: dt.date) -> dict[str, Any]:
    """The template's variables for one appointment's estimate."""
    first = estimate.visit.first
    practice = config.practice
    items = []
    for line in estimate.lines:
        procedure = codesets.procedures.get(line.line.procedure_code or "")
        items.append({"description": line.description or "Service",
                      "code": line.line.procedure_code, "code_type": procedure.type if procedure else "",
                      "units": line.line.units or 1, "charge": line.charge})
    diagnoses = [{"code": _dotted(code), "description": codesets.diagnoses.get(code, "")}
                 for code in estimate.visit.diagnoses]
    return {
        "practice": practice,
        "patient": {"first_name": first.patient.first_name or "", "last_name": first.patient.last_name or "",
                    "dob": first.patient.dob, "account": first.patient_id},
        "visit": {"date": first.date_of_service, "appointment_id": estimate.visit.encounter_id},
        "issued": issued,
        "provider": {"name": practice.name, "npi": practice.npi, "tin": _tin(practice.tax_id),
                     "address": practice.address, "city": practice.city, "state": practice.state,
                     "zip": practice.zip},
        "clinician": _clinician(estimate, config, codesets),
        "items": items,
        "diagnoses": diagnoses,
        "total": estimate.charge,
    }


def render_gfes(estimates: Sequence[VisitEstimate], config: Config, codesets: CodeSets,
                issued: dt.date, practice_root: Path | None) -> dict[str, bytes]:
    """appointment id -> the PDF of its Good Faith Estimate."""
    if not estimates:
        return {}
    folders = templates.template_folders(practice_root)
    template = templates.load(templates.environment(folders, html=True), templates.GFE_HTML)
    renderer = PdfRenderer(folders, html_name=templates.GFE_HTML, css_name=templates.GFE_CSS,
                           title=PDF_TITLE)
    return {e.visit.encounter_id: renderer.pdf(templates.fill(template, gfe_context(
        e, config, codesets, issued))) for e in estimates}


def gfe_messages(pdfs: Mapping[str, bytes], estimates: Sequence[VisitEstimate], config: Config,
                 issued: dt.date, now: dt.datetime,
                 practice_root: Path | None) -> tuple[dict[str, EmailMessage], list[str]]:
    """(appointment id -> its email, appointment ids without a usable address)."""
    settings = config.email
    if settings is None or message.address_problem(settings.from_address) is not None:
        return {}, [e.visit.encounter_id for e in estimates]
    folders = templates.template_folders(practice_root)
    body = templates.load(templates.environment(folders, html=False), templates.GFE_EMAIL_TEXT)
    made: dict[str, EmailMessage] = {}
    missing: list[str] = []
    for estimate in estimates:
        key, first = estimate.visit.encounter_id, estimate.visit.first
        if message.address_problem(first.patient_email) is not None or key not in pdfs:
            missing.append(key)
            continue
        assert first.patient_email is not None and first.date_of_service is not None
        text = templates.fill(body, {"practice": config.practice, "visit_date": first.date_of_service})
        domain = settings.from_address.rpartition("@")[2]
        made[key] = message.build_message(
            practice_name=config.practice.name, from_address=settings.from_address,
            to_address=first.patient_email, body=text, pdf=pdfs[key], pdf_name=gfe_file_name(key),
            msg_id=f"<gfe-{key}-{issued:%Y%m%d}@{domain}>", written_at=now, subject=SUBJECT)
    return made, missing


def _clinician(estimate: VisitEstimate, config: Config, codesets: CodeSets) -> dict[str, str] | None:
    """The clinician who will see the patient (rendering_npi, else the practice's default),
    when the Providers sheet names them."""
    npi = estimate.visit.first.rendering_npi or config.practice.default_rendering_npi
    provider = codesets.providers.get(npi) if npi else None
    if provider is None:
        return None
    name = " ".join(p for p in (provider.first_name, provider.last_name) if p)
    return {"name": name, "npi": provider.npi}


def _dotted(code: str) -> str:
    """ICD-10-CM as people read it: E119 -> E11.9."""
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 and "." not in code else code


def _tin(tax_id: str) -> str:
    digits = "".join(c for c in tax_id if c.isdigit())
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 else tax_id
