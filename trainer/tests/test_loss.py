"""The training loss's shortcut (target_log_probs) against the whole output distribution."""

from __future__ import annotations

import torch

from trainer.model import Batch, NetworkConfig, Seq2Seq

TOLERANCE = 1e-5  # float32, against a different order of the same sums


def test_the_loss_shortcut_gives_the_whole_distributions_values_at_the_targets():
    torch.manual_seed(2)
    config = NetworkConfig(
        vocab_size=30,
        embedding_dim=8,
        hidden_size=12,
        num_layers=2,
        bidirectional_encoder=True,
        attention_heads=2,
        dropout=0.0,
        copy_mechanism=True,
        max_sequence_length=10,
        max_target_length=10,
    )
    model = Seq2Seq(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.5)
    B, S, T, oovs = 3, 6, 4, 2
    src_ext = torch.randint(4, 30 + oovs, (B, S))
    src_ext[:, 0] = 30  # an out-of-vocabulary source token in every sequence, copied below
    tgt_out = torch.cat([src_ext[:, :2], torch.randint(4, 30, (B, T - 2))], 1)  # some copied, some beyond V
    batch = Batch(
        torch.where(src_ext >= 30, 1, src_ext),
        src_ext,
        (torch.arange(S) < torch.tensor([6, 4, 2])[:, None]).float(),
        torch.cat([torch.full((B, 1), 2), torch.where(tgt_out >= 30, 1, tgt_out)[:, :-1]], 1),
        tgt_out,
        torch.ones(B, T),
        oovs,
    )
    model.eval()  # no dropout: the two readings must see the same decoder states
    top, context, emb, attention, ident = model._teacher_forced(batch)
    whole = model.output_head(top, context, emb, attention, batch.src_ext, oovs, ident)
    target_lp, predicted = model.target_log_probs(top, context, emb, attention, batch, ident)
    torch.testing.assert_close(target_lp, whole.gather(2, tgt_out.unsqueeze(2)).squeeze(2), atol=TOLERANCE, rtol=0)
    assert torch.equal(predicted, whole.argmax(2))
    assert (tgt_out >= 30).any()  # the batch does reach the copied ids beyond the vocabulary
