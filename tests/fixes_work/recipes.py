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
    # both spans: the training pipeline and, the same way, fit's validation pipeline
    Recipe("r01", r"Resize the images in the pipeline.*validation data the same way", (
        Insert(r"^history = model\.fit", "{0}\n{1}"),
    )),
    Recipe("r02", r"Input\(.*Flatten\(", (
        Insert(r"^model\.add\(Dense\(12,", "model.add({0})\nmodel.add({1})", cell=1),
    )),
    Recipe("r03", r"Input\(shape=.*instead of", (
        Insert(r"Dense\(64, activation='relu', input_shape", "{0},", cell=1),
        Sub(r", input_shape=\(1, 3\)", "", cell=1),
    )),
    Recipe("r04", r"resize.*batch axis", (Insert(r"^prediction = model\.predict"),)),
    Recipe("r05", r"Reshape\(", (Sub(r"Reshape\(\(maxlen, embedding_size\)\)"),)),
    # "as the last layer": applied to the model's output tensor
    Recipe("r06", r"Cropping2D\(.*last layer", (Insert(r"^autoencoder = Model", "decoded = {0}(decoded)", cell=1),)),
    Recipe("r07", r"ZeroPadding2D\(.*last layer", (Insert(r"^autoencoder = Model", "decoded = {0}(decoded)", cell=1),)),
    Recipe("r08", r"\.batch\(", (Insert(r"^model\.fit"),)),
    Recipe("r09", r"\.batch\(", (Insert(r"^history = tiny_model\.fit"),)),
    # the case builds the model only (no data): the fix's input_shape replaces the user's on 'conv1d'
    Recipe("r10", r"input_shape=.* on 'conv1d'", (Merge(r"Convolution1D\(filters=32, .*\)(?=\)$)", span=0),)),
    Recipe("r11", r"Reshape\(.*before 'conv1'", (Sub(r"(?<=name=\"conv1\"\)\()dense1(?=\))", "{0}(dense1)"),)),
    # span 0: each BiLSTM returning sequences; span 1: the Concatenate along time
    Recipe("r12", r"return_sequences=True.*Concatenate\(axis=1\)", (
        Merge(r"Bidirectional\(LSTM\(128, .*\)\)\)(?=\(x\)\n\n +sentiment_input)", cell=0),
        Merge(r"Bidirectional\(LSTM\(128, .*\)\)\)(?=\(x\)\n\n +result)", cell=0),
        Sub(r"keras\.layers\.concatenate(?=\(\[lstm_out, sen_lstm_out\]\))", "{1}", cell=0),
    )),
    # Merge: the fix's call replaces the user's, which keeps its other keywords (input_shape=...)
    Recipe("r13", r"return_sequences=True", (Merge(r"LSTM\(1000, input_shape=\(1000, 100\)\)", cell=0),)),
    # padding="same" on the four convolutions the fix names (three in cell 0, 'conv2d_3' in cell 1)
    Recipe("r15", r"padding=\"same\"\W+on 'conv2d', 'conv2d_1', 'conv2d_2', 'conv2d_3'", (
        Merge(r"layers\.Conv2D\(16, .*\)(?=\)$)", cell=0),
        Merge(r"layers\.Conv2D\(32, .*\)(?=\)$)", cell=0),
        Merge(r"layers\.Conv2D\(64, .*\)(?=\)$)", cell=0),
        Merge(r"layers\.Conv2D\(128, .*\)(?=\)$)", cell=1),
    )),
    Recipe("r16", r"kernel", (Merge(r"Convolution2D\(32, 3, 3, input_shape=\(img_width, img_height, 3\)\)"),)),
    # the case builds the model only (no data to move the axis of): the Input goes first
    Recipe("r17", r"Input\(shape=", (Insert(r"^model\.add\(Conv3D", "model.add({0})"),)),
    # a Resizing layer on the generator's output tensor, before the discriminator is called on it
    Recipe("r18", r"Resizing\(.*before calling", (Insert(r"^validity = discriminator"),)),
    Recipe("r19", r"before 'activation'.*GlobalAveragePooling1D\(", (
        Insert(r"^model\.add\(Activation\('softmax'\)\)", "model.add({0})", cell=1),
    )),
    Recipe("r20", r"return_sequences=True", (Merge(r"LSTM\(hidden_state_encoder_size\)", cell=1),)),
    Recipe("r21", r"batch_size=1", (Merge(r"model\.fit\(.*\)"),)),
    Recipe("r22", r"Reshape\(", (Sub(r"(?<=LSTM\(240\)\()merged(?=\))", "{0}(merged)"),)),
    Recipe("r23", r"grayscale", (Insert(r"^model\.fit"),)),
    Recipe("r24", r"to_categorical", (Insert(r"^model\.fit"),)),
    # span 0 names the tensor, span 1 is the code (likewise r26, r55)
    Recipe("r25", r"Project .*Dense\(", (Insert(r"^z = concatenate", "{1}"),)),
    Recipe("r26", r"expand_dims", (Insert(r"^merged = ", "{1}"),)),
    # inside the user's model_predict, before the batch axis is added
    Recipe("r27", r"alpha channel", (Insert(r"^\s*x = np\.expand_dims\(x, axis=0\)", cell=0),)),
    Recipe("r28", r"reshape\(", (Insert(r"^\(notSanta, santa\)"),)),
    # X is a tf.constant and the notebook has no `np`: span 1 is the fix's own "for a tensor" variant
    Recipe("r29", r"expand_dims.*for a tensor", (Insert(r"^model\.fit", "{1}"),)),
    # the fix's input_shape takes the place of the user's input_dim (Keras 3 rejects both at once)
    Recipe("r30", r"input_shape=.* on 'lstm'", (Sub(r"input_dim=look_back", "{0}", cell=1),)),
    # span 0: the declared shape, in place of input_dim=len(X); span 2: the data given that shape
    Recipe("r31", r"input_shape=.* on 'lstm'.*reshape\(", (
        Sub(r"input_dim=len\(X\)", "{0}", cell=1),
        Insert(r"^model\.fit", "{2}", cell=1),
    )),
    Recipe("r32", r"input_shape=.* on 'lstm'", (Merge(r"LSTM\(100, .*\)(?=\)$)", span=0),)),
    Recipe("r34", r"Flatten\(", (Sub(r"(?<=name=\"predictions\"\)\()x(?=\))", "{0}(x)", cell=1),)),
    Recipe("r35", r"loss=", (Sub(r"loss=loss", cell=1),)),
    Recipe("r36", r"Flatten\(", (Sub(r"(?<=softmaxLayer\()concatLayer(?=\))", "{0}(concatLayer)", cell=0),)),
    # the pad right after the input; the case stops at the failing concatenate, before any last layer to crop
    Recipe("r37", r"ZeroPadding2D\(.*after 'input_layer'", (
        Sub(r"(?<=conv_128 = conv_block\()inputs(?=,)", "{0}(inputs)"),
    )),
    Recipe("r39", r"loss=", (Sub(r"loss='sparse_categorical_crossentropy'", cell=1),)),
    # span 0: the training data; span 1: the validation data
    Recipe("r40", r"reshape\(.*validation", (Insert(r"^cnn_model\.fit", "{0}\n{1}"),)),
    Recipe("r41", r"reshape\(", (Insert(r"^model\.fit"),)),
    Recipe("r42", r"Reshape\(", (Merge(r"Reshape\(\(57, 47\), input_shape=\(2679,\)\)"),)),
    Recipe("r43", r"luminance", (Insert(r"^predictions = model", "{0:x=x_train}"),)),
    Recipe("r44", r"input_shape=.* on 'lstm'.*reshape\(", (
        Merge(r"LSTM\(300, .*\n.*\)(?=\)$)", span=0, cell=1),
        Insert(r"^model = Sequential", "{2}", cell=1),
    )),
    # in NMU.call: the inputs get the weight's axis (the reduction over axis 1 is the user's already)
    Recipe("r45", r"expand_dims\(inputs", (Sub(r"(?<=output = \()inputs(?= \* W\))", "{0}", cell=0),)),
    Recipe("r46", r"Resize the images", (Insert(r"^pred = model\.predict"),)),
    Recipe("r47", r"column", (Insert(r"^history = model\.fit"),)),
    # span 0: the declared shape of one sample; span 3: the kernel that fits the 1x1 frames
    Recipe("r49", r"input_shape=x_train\.shape\[1:\].*kernel_size=", (
        Merge(r"ConvLSTM2D\(.*\)(?=\)$)", span=0),
        Merge(r"ConvLSTM2D\(.*\)(?=\)$)", span=3),
    )),
    Recipe("r50", r"output_sequence_length", (
        Merge(r"keras\.layers\.TextVectorization\(max_tokens=max_vocabulary_size\)", cell=0),
    )),
    Recipe("r51", r"before 'dense'.*GlobalAveragePooling1D\(", (
        Sub(r"(?<=activation=\"sigmoid\"\)\()x(?=\))", "{0}(x)", cell=1),
    )),
    # span 0: the pad after the input; span 1: the crop before the last layer (the 1x1 output convolution)
    # the Input declared by the fix takes the place of the user's, and of the Embedding it says to remove
    Recipe("r52", r"remove 'embedding'.*Input\(.*straight into the layer after it", (
        Sub(r"(?<=^input = )Input\(shape=\(120,\)\)", cell=1),
        Sub(r"Embedding\(input_dim=n_words, .*\)\(input\)", "input", cell=1),
    )),
    # both spans: the frames grouped into clips (the leftover dropped) and one label per clip
    Recipe("r53", r"Group the frames into sequences", (Insert(r"^model\.fit", "{0}\n{1}"),)),
    Recipe("r54", r"ZeroPadding2D\(.*after 'input_layer'.*Cropping2D\(.*before the last layer", (
        Sub(r"(?<=    x = )inputs$", "{0}(inputs)", cell=1),
        Sub(r"(?<=activation=activation, padding='same'\)\()x(?=\))", "{1}(x)", cell=1),
    )),
    Recipe("r55", r"before concatenating.*Cropping2D\(", (Insert(r"^merge6 = concatenate", "{1}"),)),
    Recipe("r56", r"Replace 'flatten' with", (Sub(r"Flatten\(\)", cell=1),)),
    Recipe("r57", r"replace 'average_pooling1d' with", (Sub(r"AveragePooling1D\(2\)", cell=1),)),
    Recipe("r58", r"once per output", (Merge(r"my_model\.fit\(.*\)"),)),
    # on the LSTM inside 'bidirectional' (Bidirectional itself takes no return_sequences)
    Recipe("r59", r"return_sequences=False\W+on 'bidirectional'", (
        Merge(r"LSTM\(64, return_sequences=True\)", cell=0),
    )),
    Recipe("r60", r"as the targets", (Insert(r"^history = model\.fit"),)),
    Recipe("r62", r"same 4 features", (Insert(r"^yhat = model\.predict"),)),
    # `x` is the fix's name for the one sample the case passes inline
    Recipe("r63", r"batch axis", (Sub(r"(?<=model\()ori_data\[0\](?=\))", "{0!rhs:x=ori_data[0]}"),)),
    Recipe("r64", r"Extract the same features", (
        Insert(r"^test_loss, test_acc = "),
        Sub(r"(?<=evaluate\()test_images", "{1}"),
    )),
    Recipe("r65", r"units", (Merge(r"Dense\(1, activation='softmax'\)", cell=0),)),
)

#: Keras 3 cases whose current first fix does NOT work (checked by applying it; kept as the product's bug list).
NOT_WORKING: dict[str, str] = {
    "r48": "no code: 'Remove 'embedding': feed the vectors directly to 'lstm''; nothing to place (the model also "
           "needs no Input change, so a code-free fix is all there is to apply)",
    "r61": "`len(Xb)` (the notebook's own array now, not fit's `x['input1']`) is an expression with no place: "
           "D_labels would need np.hstack of len(Xb) / 2 zeros and ones",
}
