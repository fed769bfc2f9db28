"""Templates and static files of `kehoach serve` (shipped in the package: no CDN, works offline)."""
