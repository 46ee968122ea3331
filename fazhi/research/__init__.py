"""Tools for researchers on what is loaded: corrections of extracted figures that survive
re-ingest (corrections.py), the panel for R, Stata and pandas (export.py), charts (plot.py)."""
