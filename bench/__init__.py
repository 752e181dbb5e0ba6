"""Benchmarks: each measures a baseline and NN Lab's path in the same run and prints the ratio."""
