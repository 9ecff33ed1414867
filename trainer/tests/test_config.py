"""Reading model_config.toml: keys that nothing reads any more are dropped with a warning."""

from __future__ import annotations

from trainer.files import toml_text
from trainer.presets import preset, read_config


def test_a_config_with_retired_keys_loads_without_them_and_warns(tmp_path, capsys):
    old = preset("tiny")
    old["cognitive_patterns"]["divergent"].update(exploration_probability=0.3, semantic_diversity_threshold=0.7)
    path = tmp_path / "model_config.toml"
    path.write_text(toml_text(old), "utf-8")

    config = read_config(path)

    assert config == preset("tiny")
    warnings = capsys.readouterr().err.splitlines()
    assert warnings == [
        f"warning: {path}: [cognitive_patterns.divergent] exploration_probability is no longer a setting (nothing read it); ignored",
        f"warning: {path}: [cognitive_patterns.divergent] semantic_diversity_threshold is no longer a setting (nothing read it); ignored",
    ]


def test_a_current_config_loads_without_warnings(tmp_path, capsys):
    path = tmp_path / "model_config.toml"
    path.write_text(toml_text(preset("small")), "utf-8")
    assert read_config(path) == preset("small")
    assert capsys.readouterr().err == ""
