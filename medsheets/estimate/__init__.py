"""What a visit will cost the patient, before it happens: the estimate and the Good Faith Estimate."""
