"""Stage 3, storing: records -> typed tables (tables), written as CSV, Parquet, DuckDB, XLSX (export), with the
reviews people make of them (reviews) and gold made from reviews (gold). Imports the stages below."""
