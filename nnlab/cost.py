"""What a network costs: trainable parameters and multiplications, counted layer by layer.

The counts follow the formulas as Keras implements them, one scalar multiplication (or
division) at a time; additions, `exp` and `max` are free. Per layer:

- Dense (in → u): forward in·u; backward in·u for the weight gradient and in·u for the
  input gradient, except in the first layer (the inputs need no gradient).
- Activation: forward free; backward multiplies the incoming gradient by the derivative:
  tanh (1 − a²) and sigmoid a(1 − a) 2 per unit, elu and softplus 1, relu and linear 0
  (a mask). The output with cross-entropy needs none: its gradient is p − y, then one
  multiplication per output for the 1/m and class-weight scale.
- Batch norm (u units, training mode): per sample 2·u forward (the square for the batch
  variance, the scale) and 5·u backward; per step 10·u (means, 1/√σ², moving averages).
- Dropout (u units): one multiplication by the scaled mask forward and one backward.
- Optimizer, per parameter per step: SGD 1, momentum 2, Nesterov 4, Adagrad 3, RMSprop 5,
  Adam 5 (its bias correction is one scalar per step).

An epoch is n_train samples forward and back plus one optimizer step per batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType

from nnlab.spec import ConvBlock, ModelSpec, SpecError

OPTIMIZER_MULTIPLICATIONS = MappingProxyType(dict(sgd=1, momentum=2, nesterov=4, adagrad=3, rmsprop=5, adam=5))
ACTIVATION_BACKWARD = MappingProxyType({"relu": 0, "linear": 0, "elu": 1, "softplus": 1, "tanh": 2, "sigmoid": 2})
BATCH_NORM_FORWARD, BATCH_NORM_BACKWARD, BATCH_NORM_PER_STEP = 2, 5, 10


@dataclass(frozen=True)
class LayerCost:
    """One layer's share: parameters, multiplications per sample, and per optimizer step."""

    name: str
    parameters: int
    forward: int
    backward: int
    per_step: int  # layer work done once per batch (batch norm's statistics), optimizer excluded


@dataclass(frozen=True)
class Cost:
    parameters: int
    forward_per_sample: int
    backward_per_sample: int
    optimizer_per_step: int
    per_step: int  # a whole batch: its samples forward and back, layer work per batch, the update
    per_epoch: int
    steps_per_epoch: int
    layers: tuple[LayerCost, ...]


def layer_widths(spec: ModelSpec, n_inputs: int, n_classes: int) -> list[int]:
    """Units per layer, inputs first, output last (1 unit for two classes)."""
    return [n_inputs, *(layer.units for layer in spec.hidden_layers), n_classes if n_classes > 2 else 1]


def layer_costs(spec: ModelSpec, n_inputs: int, n_classes: int) -> tuple[LayerCost, ...]:
    """Each Dense layer with its activation, batch norm and dropout, in order."""
    widths = layer_widths(spec, n_inputs, n_classes)
    rows = []
    for index, layer in enumerate(spec.hidden_layers):
        rows.append(
            _dense(
                f"dense {widths[index]}→{layer.units} {layer.activation}",
                widths[index],
                layer.units,
                spec.use_bias and layer.use_bias,
                first=index == 0,
                derivative=ACTIVATION_BACKWARD[layer.activation],
            )
        )
        if spec.batch_norm or layer.batch_norm:
            u = layer.units
            rows.append(
                LayerCost("batch norm", 2 * u, BATCH_NORM_FORWARD * u, BATCH_NORM_BACKWARD * u, BATCH_NORM_PER_STEP * u)
            )
        if spec.dropout > 0:
            rows.append(LayerCost(f"dropout {spec.dropout:g}", 0, layer.units, layer.units, 0))
    k = widths[-1]
    output_derivative = 1 if spec.loss == "cross_entropy" else 1 + ACTIVATION_BACKWARD["sigmoid"]
    rows.append(
        _dense(
            f"dense {widths[-2]}→{k} {'sigmoid' if k == 1 else 'softmax'}",
            widths[-2],
            k,
            spec.use_bias,
            first=not spec.hidden_layers,
            derivative=output_derivative,
        )
    )
    return tuple(rows)


def image_shape(n_inputs: int) -> tuple[int, int, int]:
    """The (side, side, channels) image a row of `n_inputs` pixels holds: grey if n is a square, colour (RGB,
    channels last) if n/3 is. Never both: 3·s² is never a square."""
    side = round(n_inputs**0.5)
    if side * side == n_inputs:
        return side, side, 1
    side = round((n_inputs / 3) ** 0.5)
    if 3 * side * side == n_inputs:
        return side, side, 3
    raise SpecError("error_not_an_image", count=n_inputs)


def count_cost(spec: ModelSpec, n_inputs: int, n_classes: int, n_train: int, batch_size: int, optimizer: str) -> Cost:
    """Totals per sample, per step and per epoch for training `spec` on `n_train` samples."""
    if spec.conv_blocks:
        layers = conv_layer_costs(image_shape(n_inputs), spec.conv_blocks, spec.hidden_layers, n_classes)
    else:
        layers = layer_costs(spec, n_inputs, n_classes)
    parameters = sum(layer.parameters for layer in layers)
    forward = sum(layer.forward for layer in layers)
    backward = sum(layer.backward for layer in layers)
    update = OPTIMIZER_MULTIPLICATIONS[optimizer] * parameters
    layer_step = sum(layer.per_step for layer in layers)
    steps = math.ceil(n_train / batch_size)
    per_step = batch_size * (forward + backward) + layer_step + update
    per_epoch = n_train * (forward + backward) + steps * (layer_step + update)
    return Cost(parameters, forward, backward, update, per_step, per_epoch, steps, layers)


def _dense(name: str, n_in: int, units: int, use_bias: bool, first: bool, derivative: int) -> LayerCost:
    weights = n_in * units
    backward = weights + (0 if first else weights) + derivative * units
    return LayerCost(name, weights + (units if use_bias else 0), weights, backward, 0)


def conv_layer_costs(
    image: tuple[int, int, int], blocks: tuple[ConvBlock, ...], dense: tuple, n_classes: int
) -> tuple[LayerCost, ...]:
    """Each convolution, pooling and Dense layer of an image network, softmax output last. `dense`: the hidden
    Dense layers, as spec Layers or as widths (relu).

    A convolution multiplies k·k·c numbers per output value: h'·w'·f·k·k·c forward (a 3×3 kernel on an RGB
    32×32 image with 8 filters, 'same': 32·32·8·27). Backward, as for a Dense layer: as many again for the
    kernel's gradient and, past the first layer, for the input's. Max pooling and flattening multiply nothing.
    """
    height, width, channels = image
    rows = []
    for index, block in enumerate(blocks):
        if block.padding == "valid":
            height, width = height - block.kernel + 1, width - block.kernel + 1
        products = height * width * block.filters * block.kernel * block.kernel * channels
        outputs = height * width * block.filters
        backward = products + (0 if index == 0 else products) + ACTIVATION_BACKWARD[block.activation] * outputs
        parameters = block.kernel * block.kernel * channels * block.filters + block.filters
        name = f"conv {block.kernel}×{block.kernel}×{channels}→{block.filters} {block.padding} → {height}×{width}"
        rows.append(LayerCost(name, parameters, products, backward, 0))
        channels = block.filters
        if block.pool > 1:
            height, width = height // block.pool, width // block.pool
            rows.append(LayerCost(f"max pool {block.pool}×{block.pool} → {height}×{width}×{channels}", 0, 0, 0, 0))
    activations = [getattr(layer, "activation", "relu") for layer in dense] + ["softmax"]
    widths = [height * width * channels, *(getattr(layer, "units", layer) for layer in dense), n_classes]
    for index, (n_in, units) in enumerate(zip(widths, widths[1:])):
        last = index == len(widths) - 2
        derivative = 1 if last else ACTIVATION_BACKWARD[activations[index]]
        name = f"dense {n_in}→{units} {activations[index]}"
        rows.append(_dense(name, n_in, units, True, first=not blocks and index == 0, derivative=derivative))
    return tuple(rows)


def block_shapes(image: tuple[int, int, int], blocks: tuple[ConvBlock, ...]) -> list[tuple[int, int, int]]:
    """(height, width, channels) after each block; blocks that shrink the image below one pixel are refused
    with the block that does it (a 'valid' 5×5 kernel on a 4×4 map, a 3×3 pooling of a 2×2 one)."""
    height, width, channels = image
    shapes = []
    for number, block in enumerate(blocks, start=1):
        if block.padding == "valid":
            if block.kernel > min(height, width):
                raise SpecError(
                    "error_block_kernel_too_big", block=number, kernel=block.kernel, side=min(height, width)
                )
            height, width = height - block.kernel + 1, width - block.kernel + 1
        if block.pool > min(height, width):
            raise SpecError("error_block_pool_too_big", block=number, pool=block.pool, side=min(height, width))
        height, width, channels = height // block.pool, width // block.pool, block.filters
        shapes.append((height, width, channels))
    return shapes


def dense_instead(image: tuple[int, int, int], block: ConvBlock) -> int:
    """Parameters of a Dense layer that maps the same image to as many outputs as `block`'s convolution.

    Why convolution is cheap: its k·k·c·f weights are shared by every position, where a Dense layer
    needs one weight per (input, output) pair.
    """
    height, width, channels = image
    if block.padding == "valid":
        height, width = height - block.kernel + 1, width - block.kernel + 1
    outputs = height * width * block.filters
    return image[0] * image[1] * channels * outputs + outputs


# Seed 000 counted by hand; its method, reproduced so the page can show where the numbers come from.
SEED_OPTIMIZER_FACTOR = MappingProxyType({"sgd": 1, "adam": 9})  # multiplications per gradient in the seed's reckoning


def seed_hand_count(spec: ModelSpec, n_inputs: int, batch_size: int, epochs: int, optimizer: str) -> int:
    """Seed 000's total: per-sample work × batch size (not × samples), dropout as a 1 − rate discount.

    Batch norm costs u·(m + 4) once and u·7 per sample; the optimizer 9 (Adam) or 1 (SGD)
    per gradient term. Gives 107,883,520 for the reference net and 92,160 for the minimal one.
    """
    widths = layer_widths(spec, n_inputs, 2)
    keep = 1 - spec.dropout
    dense = sum(a * b * (keep if i > 0 and spec.dropout > 0 else 1) for i, (a, b) in enumerate(zip(widths, widths[1:])))
    norm_layers = [layer.units for layer in spec.hidden_layers if spec.batch_norm or layer.batch_norm]
    per_sample = dense + dense + 7 * sum(norm_layers) + dense * SEED_OPTIMIZER_FACTOR.get(optimizer, 1)
    per_epoch = per_sample * batch_size + sum(u * (batch_size + 4) for u in norm_layers)
    return round(per_epoch * epochs)
