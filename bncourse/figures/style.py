"""The colours the figures share."""

FORWARD_COLOR = "#2b5d8a"    # the forward pass, the input
BACKWARD_COLOR = "#c0392b"   # the backward pass, the output
