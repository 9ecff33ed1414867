"""The PyTorch trainer: the network of src/model, trained at scale (docs/design.md#pytorch-trainer)."""
