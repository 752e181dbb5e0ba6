"""NN Lab: train small Keras models live and draw what they learned.

Nothing here imports streamlit (only `nnlab.ui` does) and importing the package
does not import TensorFlow: modules that need it import `nnlab.backend`.
"""

__version__ = "0.1.0"
