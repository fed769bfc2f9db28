"""Development tools, apart from the runtime stages: the scorer (`kehoach eval`), the robustness suite,
the benchmark and its generated batches (`make bench`), and rule ablation (`kehoach ablate`). No stage
imports from here; the CLI's developer commands do."""
