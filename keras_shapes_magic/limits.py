"""Every bound the product puts on what it reads or shows, named once.

The report must cost milliseconds whatever the user's program holds: messages of megabytes,
namespaces of thousands of names, models of thousands of layers. Each limit caps one of those.
"""

from __future__ import annotations

# -- reading the error ------------------------------------------------------------------
#: characters of an exception message parsed at all (head + tail kept)
MAX_PARSED_CHARS = 20_000
#: of those, the characters kept from the start of the message
PARSED_HEAD_CHARS = 16_000
#: characters of the formatted traceback kept on the report
MAX_TRACEBACK_CHARS = 20_000
#: of those, the characters kept from the start of the traceback
TRACEBACK_HEAD_CHARS = 2_000
#: frames followed back from the exception's innermost frame
MAX_FRAME_CHAIN = 200_000
#: lines of each user cell or file searched for the line that created a layer
MAX_SOURCE_LINES = 5_000
#: names of the user's namespace looked at for variable names
MAX_NAMESPACE_NAMES = 50_000
#: items read from a nested structure of tensors (lists, dicts, tuples)
MAX_STRUCTURE_ITEMS = 10_000
#: (layer, node) pairs visited in one walk of the model graph
MAX_GRAPH_NODES = 20_000
#: arrays of one ``x`` / ``y`` structure shown as rows
MAX_DATA_ARRAYS = 64
#: label values scanned for their range (larger label arrays are not scanned)
MAX_LABELS_SCANNED = 50_000_000
#: largest element count whose divisors are listed for a Reshape
MAX_DIVISORS_OF = 1_000_000

# -- what is shown ----------------------------------------------------------------------
#: rows of one table
MAX_ROWS = 5_000
#: characters of the message quoted in a cause sentence
MAX_QUOTED_CHARS = 240
#: characters of the one-line summary of the message
MAX_SUMMARY_CHARS = 400
#: characters of a source line or a statement shown on a row
MAX_SOURCE_CHARS = 200
#: characters of one config value shown on a row
MAX_CONFIG_VALUE_CHARS = 80
#: characters of a cause shown in a report's repr
MAX_REPR_CAUSE_CHARS = 80
#: characters of our own error shown in the one-line fallback note
MAX_NOTE_CHARS = 120
#: characters of a fix shown on its copy button's label
MAX_FIX_LABEL_CHARS = 60
