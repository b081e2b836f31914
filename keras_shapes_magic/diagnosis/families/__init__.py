"""One module per family of shape mistakes; each turns evidence into a verdict."""
