"""Stage 1, reading: a file (PDF, scan, DOCX, text) -> pages (ingest/), then one normalized Document
(normalize/). Imports only the bottom (vi, model, errors, rules, progress)."""
