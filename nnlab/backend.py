"""The single place TensorFlow is imported, after the settings that must precede it.

One intra-op and one inter-op thread per process: small models are overhead-bound,
and on a 2-core classroom laptop many sessions share the cores.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import keras
import tensorflow as tf

tf.get_logger().setLevel("ERROR")  # one tf.function per Trainer is by design, not a retrace bug

__all__ = ["keras", "tf"]
