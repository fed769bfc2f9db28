"""Stage 2, understanding: a normalized Document -> records (outline, extract/: metadata, citations, targets,
deadlines, tasks), with the gazetteer and sentence splitter they use. Imports reading and the bottom."""
