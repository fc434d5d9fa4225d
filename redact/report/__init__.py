"""Reports built from the fields each finding already carries (JSON for machines, HTML for people)."""
