"""The shipped data, cached once per Streamlit server: every page and control reads it from here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnlab.data import digits
from nnlab.data.cifar import shipped_cifar10
from nnlab.data.cities import DEFAULT_CITIES, read_cities


@st.cache_data(show_spinner=False)
def shipped_cities() -> pd.DataFrame:
    """The GeoNames table in data/, read once per server (each caller gets its own copy)."""
    return read_cities(DEFAULT_CITIES)


@st.cache_resource(show_spinner=False)
def shipped_images(dataset: str) -> digits.DigitImages:
    """scikit-learn's 8×8 digits ("digits") or MNIST ("mnist"): read-only arrays, safe to share between sessions."""
    return digits.shipped_images(dataset)


@st.cache_resource(show_spinner=False)
def shipped_photos() -> digits.DigitImages:
    """CIFAR-10's 60,000 photographs (downloaded once into Keras's cache): read-only, shared between sessions.

    Offline it raises the loader's LabError, which is not cached: the next try may find the network."""
    return shipped_cifar10()
