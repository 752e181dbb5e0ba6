"""Datasets: seeded generators and loaders that all return one `Dataset` type."""

from nnlab.data.dataset import Dataset, split_dataset

__all__ = ["Dataset", "split_dataset"]
