"""Pictures of models and data: Altair charts (charts.py) and their rasters (images.py)."""
