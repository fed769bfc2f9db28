"""Stage 4, analysing: a run's tables -> findings: the audit against mandates, the comparison of units, the
registry graph, the indicator table, one document explained, and their HTML pages (report)."""
