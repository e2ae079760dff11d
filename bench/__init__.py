"""Benchmarks that print figures: page render times at seed and 100x scale, browser time to first chart."""
