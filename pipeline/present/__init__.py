"""Stage 5, presenting: what a person reads: the review app (serve, web/, pageimage), `kehoach summary`
(demo) and notebooks run with their outputs (notebook)."""
