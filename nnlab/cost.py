"""How much arithmetic a dense network costs: parameters and multiplications per epoch."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nnlab.spec import ModelSpec

# Multiplications per parameter per update, from each optimizer's update rule.
OPTIMIZER_MULTIPLICATIONS = {"sgd": 1, "momentum": 2, "nesterov": 3, "adagrad": 3, "rmsprop": 5, "adam": 8}


@dataclass(frozen=True)
class Cost:
    parameters: int
    forward_per_sample: int  # weight multiplications, input to output
    backward_per_sample: int  # gradients of weights and of hidden activations
    optimizer_per_step: int
    per_epoch: int


def layer_widths(spec: ModelSpec, n_inputs: int, n_classes: int) -> list[int]:
    """Units per layer, inputs first, output last (1 unit for two classes)."""
    return [n_inputs, *(layer.units for layer in spec.hidden_layers), 1 if n_classes == 2 else n_classes]


def count_cost(spec: ModelSpec, n_inputs: int, n_classes: int, n_train: int, batch_size: int, optimizer: str) -> Cost:
    """Dense-layer arithmetic of one epoch: every sample forward and back, every step's update."""
    widths = layer_widths(spec, n_inputs, n_classes)
    pairs = list(zip(widths, widths[1:]))
    weights = sum(a * b for a, b in pairs)
    parameters = weights + (sum(widths[1:]) if spec.use_bias else 0)
    # Backward: dW for every layer, and dX for every layer but the first (inputs need no gradient).
    backward = weights + sum(a * b for a, b in pairs[1:])
    steps = math.ceil(n_train / batch_size)
    update = OPTIMIZER_MULTIPLICATIONS[optimizer] * parameters
    per_epoch = n_train * (weights + backward) + steps * update
    return Cost(parameters, weights, backward, update, per_epoch)
