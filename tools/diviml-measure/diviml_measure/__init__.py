"""diviml-measure: profile the ops of a model and run placed programs on the
real devices of this machine with PyTorch (docs/measure.md)."""
