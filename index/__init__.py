"""Sources -> a persistent, searchable index."""

import os

# torch and faiss each ship their own OpenMP runtime. With the default (spinning) wait policy the
# idle threads of one busy-wait on the cores the other needs: on 2 cores a question that embeds
# (torch) then searches (faiss) took 400-500 ms instead of 12 ms, and batch encoding beside a
# spaCy process ran at half speed (docs/benchmarks.md). It must be set before either library
# loads, and every entry point imports this package first.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
