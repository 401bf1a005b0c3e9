"""The payers' 271 eligibility answers: read, explained, kept in the ledger for the estimate."""
