"""Custom training loops: a loss called by hand, an optimizer step given the wrong gradients."""

from __future__ import annotations

from ...parse import Shape
from ...records import ErrorFamily, Phase
from ..context import Context, Verdict, differing_axes, shape_text
from .base import Family, NoFacts


def _shape(ctx: Context, index: int | None, output: bool) -> Shape | None:
    row = ctx.row(index)
    shapes = (row.output_shapes if output else row.input_shapes) if row is not None else ()
    return shapes[0] if shapes else None


def loss_call(ctx: Context, facts: NoFacts) -> Verdict | None:
    """``loss_fn(y_true, y_pred)`` in a ``GradientTape`` loop, with targets that do not fit the predictions."""
    loss = ctx.loss_row()
    data, target = (ctx.table.indices("data") or [None])[0], ctx.target_row()
    if loss is None or data is None or target is None:
        return None
    y, p = _shape(ctx, target, output=False), _shape(ctx, data, output=True)
    if y is None or p is None:
        return None
    name = ctx.row(loss).name
    y_name, p_name = ctx.row(target).name, ctx.row(data).name
    cause = f"{name} compares the targets {y_name} {shape_text(y)} with the predictions {p_name} {shape_text(p)}"
    fixes: list[str] = []
    suspect = data
    axes = differing_axes(y, p)
    if len(y) == len(p) and not axes and "sparse" in name.lower() and y[-1] not in (None, 1):
        cause += (f": the targets have the predictions' own shape, {y[-1]} values per sample (one-hot), but a sparse "
                  "loss takes one integer class id per sample.")
        fixes.append(f"Use the loss for one-hot targets: `keras.losses.CategoricalCrossentropy()`, or turn them into "
                     f"class ids: `{y_name} = keras.ops.argmax({y_name}, axis=-1)`.")
        suspect = target
        axes = (len(y) - 1,)
    elif len(y) == len(p) and axes == (0,):
        cause += f": they come from batches of different sizes ({y[0]} and {p[0]})."
        fixes.append(f"Compute the predictions and the targets from the same batch: `{p_name} = model(x_batch)` "
                     f"with `{y_name}` the labels of that `x_batch`.")
        suspect = target
    elif len(y) == len(p) and axes and axes[-1] == len(y) - 1:
        cause += f": the model predicts {p[-1]} values per sample, each target has {y[-1]}."
        if "sparse" in name.lower() and y[-1] != 1:
            fixes.append(f"The targets look one-hot: use `keras.losses.CategoricalCrossentropy()`, or "
                         f"`{y_name} = {y_name}.argmax(axis=-1)`.")
            suspect = target
        else:
            fixes.append(f"Give the model's last layer {y[-1]} units: `keras.layers.Dense({y[-1]})`.")
            fixes.append(f"Or give each target {p[-1]} values (e.g. one-hot: "
                         f"`keras.utils.to_categorical({y_name}, {p[-1]})`).")
    elif len(y) + 1 == len(p) and "sparse" not in name.lower() and "entropy" in name.lower():
        cause += ": the targets are class indices, the predictions one vector per sample."
        fixes.append("Use the loss for integer labels: `keras.losses.SparseCategoricalCrossentropy()`.")
        fixes.append(f"Or one-hot encode them: `{y_name} = keras.utils.to_categorical({y_name}, {p[-1]})`.")
        suspect = target
    elif len(y) != len(p):
        cause += f": {len(y)} axes against {len(p)}."
        bigger, smaller = (p_name, y_name) if len(p) > len(y) else (y_name, p_name)
        fixes.append(f"Bring both to the same shape: reshape `{smaller}` to match `{bigger}` "
                     f"(e.g. `{y_name} = keras.ops.reshape({y_name}, {shape_text(p)})` if the sizes agree).")
        suspect = target if len(y) < len(p) else data
    else:
        cause += f": they differ on {', '.join(str(a) for a in axes)}."
        fixes.append(f"Make `{y_name}` and `{p_name}` the same shape before the loss.")
    verdict = ctx.verdict(loss, cause, fixes, suspect=suspect)
    mark = tuple(a for a in axes) if axes else tuple(range(min(len(y), len(p)), max(len(y), len(p))))
    ctx.mark(verdict, loss, ((tuple(a for a in mark if a < len(y)), tuple(a for a in mark if a < len(p))), ()))
    return verdict


def optimizer_step(ctx: Context, facts: NoFacts) -> Verdict | None:
    """``optimizer.apply_gradients(...)`` with a gradient whose shape is not its variable's."""
    steps = ctx.table.indices("step")
    variables, gradients = ctx.table.indices("layer"), ctx.table.indices("data")
    if not steps or not variables or not gradients:
        return None
    step, variable, gradient = steps[0], variables[0], gradients[0]
    v, g = _shape(ctx, variable, output=True), _shape(ctx, gradient, output=True)
    cause = (f"{ctx.row(step).type}.apply_gradients got a gradient {shape_text(g)} for the variable "
             f"{ctx.name(variable)} {shape_text(v)}: the gradients are not paired with their own variables.")
    fixes = ["Take the gradients for exactly the variables you update, in the same order: "
             "`grads = tape.gradient(loss, model.trainable_variables)`, then "
             "`optimizer.apply_gradients(zip(grads, model.trainable_variables))`."]
    verdict = ctx.verdict(step, cause, fixes, suspect=gradient)
    axes = differing_axes(g, v) or (tuple(range(len(g))) if g else ())
    ctx.mark(verdict, gradient, ((), (axes,)))
    return verdict


#: decided by where the error happened (the frames), whatever the message says
FAMILIES = (
    Family(ErrorFamily.LOSS_CALL, loss_call, phases=(Phase.LOSS_CALL,)),
    Family(ErrorFamily.OPTIMIZER_STEP, optimizer_step, phases=(Phase.OPTIMIZER_STEP,)),
)
