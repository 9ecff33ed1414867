"""The PyTorch trainer: the network of src/model, trained at scale (DESIGN.md section 11)."""
