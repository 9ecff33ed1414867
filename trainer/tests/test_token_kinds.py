"""Accuracy by kind of target token (vocabulary, copy, <unk>): the kinds split the real target
tokens exactly, and together they give the forward pass's token accuracy."""

from __future__ import annotations

import torch

from trainer.init import initial_tensors
from trainer.model import UNK_ID, Batch, NetworkConfig, Seq2Seq
from trainer.presets import preset
from trainer.token_kinds import kind_accuracy, kind_masks

VOCAB = 40


def tiny_model() -> Seq2Seq:
    architecture = {**preset("tiny")["architecture"], "vocab_size": VOCAB}
    net = NetworkConfig.from_architecture(architecture)
    model = Seq2Seq(net)
    model.load_file_tensors(initial_tensors(net, 5))
    return model


def test_each_real_target_token_has_one_kind_and_padding_none():
    tgt_out = torch.tensor([[12, VOCAB, UNK_ID, VOCAB + 1, 0], [UNK_ID, 7, 3, 0, 0]])
    tgt_mask = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]], dtype=torch.float32)
    masks = kind_masks(tgt_out, tgt_mask, VOCAB)
    assert masks["vocabulary"].tolist() == [[True, False, False, False, False], [False, True, True, False, False]]
    assert masks["copy"].tolist() == [[False, True, False, True, False], [False] * 5]
    assert masks["unknown"].tolist() == [[False, False, True, False, False], [True, False, False, False, False]]


def test_the_kinds_add_up_to_the_forward_pass_token_accuracy():
    g = torch.Generator().manual_seed(3)
    B, S, T = 4, 9, 6
    src_ext = torch.randint(4, VOCAB + 3, (B, S), generator=g)
    src_ext[:, 0] = VOCAB  # every row holds the first source OOV, so copy targets exist
    src = torch.where(src_ext >= VOCAB, UNK_ID, src_ext)
    tgt_out = torch.randint(4, VOCAB + 3, (B, T), generator=g)
    tgt_out[:, 1] = UNK_ID
    tgt_out[:, 2] = VOCAB
    tgt_in = torch.cat([torch.full((B, 1), 2), torch.where(tgt_out[:, :-1] >= VOCAB, UNK_ID, tgt_out[:, :-1])], 1)
    tgt_mask = torch.ones(B, T)
    tgt_mask[0, 4:] = 0
    batch = Batch(src, src_ext, torch.ones(B, S), tgt_in, tgt_out, tgt_mask, 3)
    model = tiny_model()
    kinds = kind_accuracy(model, [batch])
    model.eval()
    with torch.no_grad():
        _, correct, count = model(batch)
    assert sum(k["tokens"] for k in kinds.values()) == int(count) == B * T - 2
    assert kinds["unknown"]["tokens"] == B and kinds["copy"]["tokens"] >= B
    right = sum(k["tokens"] * k["accuracy"] for k in kinds.values() if k["tokens"])
    assert round(right) == int(correct)
    assert abs(sum(k["share"] for k in kinds.values()) - 1) < 1e-9
