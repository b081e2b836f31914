"""Per-case recipes: WHERE the report's first fix goes in a real user's case (Keras 3 flavour).

``fix_like`` is a loose regex on the first fix's text naming the KIND of fix the recipe was written for
(so a different first fix is reported as such, not pasted somewhere it does not belong); it never
spells the fix's code. Cells are indexed as in the case file (-1 is the failing cell).
"""

from __future__ import annotations

from dataclasses import dataclass

from .edits import Insert, Merge, Step, Sub


@dataclass(frozen=True)
class Recipe:
    """Where case ``case``'s first fix goes."""

    case: str
    fix_like: str
    steps: tuple[Step, ...]


RECIPES: tuple[Recipe, ...] = (
    Recipe("r02", r"Input\(.*Flatten\(", (
        Insert(r"^model\.add\(Dense\(12,", "model.add({0})\nmodel.add({1})", cell=1),
    )),
    Recipe("r03", r"Input\(shape=.*instead of", (
        Insert(r"Dense\(64, activation='relu', input_shape", "{0},", cell=1),
        Sub(r", input_shape=\(1, 3\)", "", cell=1),
    )),
    Recipe("r05", r"Reshape\(", (Sub(r"Reshape\(\(maxlen, embedding_size\)\)"),)),
    Recipe("r08", r"\.batch\(", (Insert(r"^model\.fit"),)),
    Recipe("r09", r"\.batch\(", (Insert(r"^history = tiny_model\.fit"),)),
    Recipe("r10", r"Input\(shape=", (Insert(r"^model\.add\(Convolution1D", "model.add({0})"),)),
    # Merge: the fix's call replaces the user's, which keeps its other keywords (input_shape=...)
    Recipe("r13", r"return_sequences=True", (Merge(r"LSTM\(1000, input_shape=\(1000, 100\)\)", cell=0),)),
    Recipe("r16", r"kernel", (Merge(r"Convolution2D\(32, 3, 3, input_shape=\(img_width, img_height, 3\)\)"),)),
    Recipe("r17", r"Input\(shape=", (Insert(r"^model\.add\(Conv3D", "model.add({0})"),)),
    Recipe("r20", r"return_sequences=True", (Merge(r"LSTM\(hidden_state_encoder_size\)", cell=1),)),
    Recipe("r22", r"Reshape\(", (Sub(r"(?<=LSTM\(240\)\()merged(?=\))", "{0}(merged)"),)),
    Recipe("r24", r"to_categorical", (Insert(r"^model\.fit"),)),
    # `x` / `branch` are the fix's placeholders for "each branch" / "the larger branch"
    Recipe("r26", r"Flatten\(", (Sub(r"\[scores, coords\]", "[{0:x=scores}, {0:x=coords}]"),)),
    Recipe("r27", r"Input\(shape=", (Insert(r"Conv2D\(32, \(3, 3\), activation='relu', input_shape", "{0},", cell=0),)),
    Recipe("r28", r"reshape\(", (Insert(r"^\(notSanta, santa\)"),)),
    # X is a tf.constant and the notebook has no `np`: span 1 is the fix's own "for a tensor" variant
    Recipe("r29", r"expand_dims.*for a tensor", (Insert(r"^model\.fit", "{1}"),)),
    Recipe("r30", r"Input\(shape=", (Insert(r"^model\.add\(LSTM", "model.add({0})"),)),
    Recipe("r32", r"Input\(shape=", (Insert(r"^model\.add\(LSTM", "model.add({0})"),)),
    Recipe("r34", r"Flatten\(", (Sub(r"(?<=name=\"predictions\"\)\()x(?=\))", "{0}(x)", cell=1),)),
    Recipe("r35", r"loss=", (Sub(r"loss=loss", cell=1),)),
    Recipe("r36", r"Flatten\(", (Sub(r"(?<=softmaxLayer\()concatLayer(?=\))", "{0}(concatLayer)", cell=0),)),
    Recipe("r37", r"Cropping2D\(", (Sub(r"(?<=\[up_64, )conv_64(?=\])", "{0:branch=conv_64}"),)),
    Recipe("r39", r"loss=", (Sub(r"loss='sparse_categorical_crossentropy'", cell=1),)),
    Recipe("r41", r"reshape\(", (Insert(r"^model\.fit"),)),
    Recipe("r42", r"Reshape\(", (Merge(r"Reshape\(\(57, 47\), input_shape=\(2679,\)\)"),)),
    Recipe("r44", r"Input\(shape=", (Insert(r"^model\.add\(LSTM", "model.add({0})"),)),
    Recipe("r47", r"column", (Insert(r"^history = model\.fit"),)),
    Recipe("r50", r"output_sequence_length", (
        Merge(r"keras\.layers\.TextVectorization\(max_tokens=max_vocabulary_size\)", cell=0),
    )),
    Recipe("r65", r"units", (Merge(r"Dense\(1, activation='softmax'\)", cell=0),)),
)

#: Keras 3 cases whose current first fix does NOT work (checked by applying it; kept as the product's bug list).
NOT_WORKING: dict[str, str] = {
    "r01": "`training_set = tf.image.resize(training_set, ...)`: training_set is a tf.data.Dataset, resize raises",
    "r04": "no code: 'Reshape the data to (None, 128, 128, 3)'; a (600, 400, 3) image needs a resize and a batch axis",
    "r06": '`padding="same"` alone: 458x690 comes back as 464x696 (the input size is not divisible by 8)',
    "r07": '`padding="same"` alone: 23x23 comes back as 24x24 (the input size is not divisible by 8)',
    "r11": "`Reshape((timesteps, features))`: placeholders; 'dense1' outputs (None, 64), the fix could say (64, 1)",
    "r12": "`Reshape((timesteps, features))`: placeholders; 'concatenate' outputs (None, 512)",
    "r15": '`Conv2D(128, (3, 3), padding="same")`: the MaxPooling2D after it then gets 1x1 and raises',
    "r18": "`x = tf.image.resize(x, (96, 96))`: no `tf` in the notebook, `x` is not the user's tensor, and "
           "tf.image.resize cannot take a symbolic KerasTensor (keras.layers.Resizing can)",
    "r19": "`return_sequences=False` on 'simple_rnn_1': the TimeDistributed(Dense) after it then needs 3-D input",
    "r21": "no fix at all",
    "r23": "`X_1 = tf.image.rgb_to_grayscale(X_1)`: NameError, the notebook has no `tf` (works after importing it)",
    "r25": "no code: 'a Reshape or a pooling layer on the odd branch'",
    "r31": "`keras.Input(shape=(200, 1))`: 200 is len(X), the number of samples (X is (200, 21)); it only runs "
           "because Keras 3 adds the trailing axis and the LSTM accepts 21 steps",
    "r40": "`X_train = X_train.reshape(-1, 28, 28, 1)`: fit's validation_data X_validate stays (120, 784) and raises",
    "r43": "no fix at all",
    "r45": "generic: 'Check the shapes used in NMU.call()'",
    "r46": "`final_image = tf.image.resize(...)`: NameError, the notebook has no `tf` (works after importing it)",
    "r48": "no code: 'Remove 'embedding''",
    "r49": "`keras.Input(shape=(677, 1, 1, 676))`: the ConvLSTM2D's (5, 1) kernel then meets 1x1 frames and raises",
    "r51": "`keras.Input(shape=())` + Flatten: the output stays (None, 15, 1) against targets (None,)",
    "r52": "`keras.Input(shape=(120, 1024))` + Flatten: float vectors still go into the Embedding (the fix is to "
           "remove it)",
    "r53": "`keras.Input(shape=(64, 64, 3))`: the model is a CNN-LSTM over 10 frames; TimeDistributed(Conv2D) then "
           "gets (None, 64, 3) and raises (the data lacks the frame axis)",
    "r54": "`Cropping2D(((0, 1), (0, 1)))(branch)`: only the first skip is 1 px off; the next is 3 px (176 vs 179)",
    "r55": "`keras.layers.Resizing(56, 56)(activation_7)`: NameError, 'activation_7' is a layer name, the tensor is "
           "`conv4` (works with conv4)",
    "r57": "`return_sequences=False` on 'lstm': the TimeDistributed(Dense(1)) after it then needs 3-D input",
    "r58": "no fix at all",
    "r59": "`keras.Input(shape=(100))`: 'Cannot convert 100 to a shape' (and a Flatten before the BiLSTM breaks it)",
    "r60": "no code, and the first fix starts with 'Or': 'Or reshape the targets to (None, 4)'",
    "r61": "generic: 'Check that x and y come from the same samples'",
    "r62": "custom-layer advice (`self.add_weight` in build) for a predict on data with 34 features instead of 4",
    "r63": "no fix at all",
    "r64": "`keras.Input(shape=(150, 150, 3))` + Flatten: the classifier is fit on (N, 8192) features and then raises",
}
