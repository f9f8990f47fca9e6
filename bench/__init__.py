"""Benchmarks (`make bench`): each compares side by side within one run and writes JSON."""
