"""The ledger read for the reports: aging buckets, account totals, the detail, KPIs, the trend,
collections.

Every figure is one SQL aggregate over the journal with the sign rules of ledger/balances.py,
so a report of 100,000 lines never loads the journal into Python. The modules return plain
records (Buckets, DetailRow, Kpis, ...) that medsheets/aging/ lays out in the workbook; the
SQL stays here, behind the ledger boundary.
"""
