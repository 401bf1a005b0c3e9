"""Coordination of benefits: billing a patient's secondary (and tertiary) insurance once the
payer before it has adjudicated the claim (docs/secondary-insurance.md)."""
