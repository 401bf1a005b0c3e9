"""Before the visit: the appointment workbooks and the 270 eligibility inquiries they become."""
