"""The only streamlit-aware part of NN Lab: page setup, shared widgets, the live panel, i18n."""

from nnlab.ui.i18n import t
from nnlab.ui.setup import page_title, setup_page

__all__ = ["page_title", "setup_page", "t"]
