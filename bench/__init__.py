"""The benchmark: `make bench` runs `python -m bench` and writes bench/results/latest.md."""
