"""The network of src/model/net/seq2seq.ts in PyTorch, parameter for parameter.

The file layout (names, shapes, gate order i, f, g, o) is the one `lstm_weights.bin` holds: see
`paramShapes` in src/model/net/parameters.ts. The encoder runs on torch's fused nn.LSTM (one
module per layer, the first bidirectional when the config says so); its weights are the file's transposed
(weight_ih = kernel^T, weight_hh = recurrent^T, bias_ih = bias) with bias_hh held at zero and
frozen, so one bias trains, as in the file. `file_tensors()` and `load_file_tensors()` map between
the two. The decoder (input feeding: its first layer reads the previous context) runs step by step
on parameters kept in the file's layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD_ID, UNK_ID, BOS_ID, EOS_ID = 0, 1, 2, 3
MASK_NEGATIVE = -1e9  # added to attention scores at padded source positions
LOG_EPSILON = 1e-10  # floor of the mixed copy distribution before the log


@dataclass(frozen=True)
class NetworkConfig:
    vocab_size: int
    embedding_dim: int
    hidden_size: int
    num_layers: int
    bidirectional_encoder: bool
    attention_heads: int
    dropout: float
    copy_mechanism: bool
    max_sequence_length: int
    max_target_length: int

    @staticmethod
    def from_architecture(a: dict) -> NetworkConfig:
        return NetworkConfig(**{k: a[k] for k in NetworkConfig.__dataclass_fields__})

    def validate(self) -> None:
        for key in ("vocab_size", "embedding_dim", "hidden_size", "num_layers", "attention_heads"):
            value = getattr(self, key)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"[architecture] {key} must be a positive integer, got {value!r}")
        if self.hidden_size % self.attention_heads:
            raise ValueError(
                f"[architecture] hidden_size {self.hidden_size} is not divisible by attention_heads {self.attention_heads}"
            )
        if self.bidirectional_encoder and self.hidden_size % 2:
            raise ValueError("[architecture] a bidirectional encoder needs an even hidden_size")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"[architecture] dropout must be in [0, 1), got {self.dropout}")


def encoder_directions(c: NetworkConfig, layer: int) -> list[str]:
    return ["fw", "bw"] if c.bidirectional_encoder and layer == 0 else ["fw"]


def param_shapes(c: NetworkConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter of the file by name, in the order of parameters.ts's paramShapes."""
    V, E, H, L = c.vocab_size, c.embedding_dim, c.hidden_size, c.num_layers
    s: dict[str, tuple[int, ...]] = {"embedding": (V, E)}
    for layer in range(L):
        dirs = encoder_directions(c, layer)
        h = H // 2 if len(dirs) == 2 else H
        for d in dirs:
            p = f"encoder.l{layer}.{d}"
            s[f"{p}.kernel"] = (E if layer == 0 else H, 4 * h)
            s[f"{p}.recurrent"] = (h, 4 * h)
            s[f"{p}.bias"] = (4 * h,)
    for layer in range(L):
        for part in ("h", "c"):
            s[f"bridge.l{layer}.{part}.kernel"] = (H, H)
            s[f"bridge.l{layer}.{part}.bias"] = (H,)
    for layer in range(L):
        s[f"decoder.l{layer}.kernel"] = (E + H if layer == 0 else H, 4 * H)
        s[f"decoder.l{layer}.recurrent"] = (H, 4 * H)
        s[f"decoder.l{layer}.bias"] = (4 * H,)
    for m in ("query", "key", "value", "output"):
        s[f"attention.{m}"] = (H, H)
    s["combine.kernel"] = (2 * H, H)
    s["combine.bias"] = (H,)
    s["out.kernel"] = (H, V)
    s["out.bias"] = (V,)
    if c.copy_mechanism:
        s["copy.gate"] = (2 * H + E, 1)
        s["copy.bias"] = (1,)
    return s


def _flat(name: str) -> str:
    return name.replace(".", "__")  # nn.Module attribute names cannot hold dots


@dataclass
class Batch:
    """A padded batch (right padding), the tensors of seq2seq.ts's Batch."""

    src: torch.Tensor  # int64 [B, S], OOV → <unk>
    src_ext: torch.Tensor  # int64 [B, S], OOV → V + k
    src_mask: torch.Tensor  # float [B, S]
    tgt_in: torch.Tensor  # int64 [B, T]
    tgt_out: torch.Tensor  # int64 [B, T], extended ids
    tgt_mask: torch.Tensor  # float [B, T]
    num_oovs: int

    def to(self, device: torch.device) -> Batch:
        return Batch(
            *(t.to(device) for t in (self.src, self.src_ext, self.src_mask, self.tgt_in, self.tgt_out, self.tgt_mask)),
            self.num_oovs,
        )


@dataclass
class DecoderWeights:
    token_kernel: torch.Tensor  # [E, 4H]: the first layer's kernel rows for the token
    context_kernel: torch.Tensor  # [H, 4H]: its rows for the previous context (input feeding)
    recurrent: list[torch.Tensor]
    kernels: list[torch.Tensor | None]  # each later layer's input kernel (None for the first)
    biases: list[torch.Tensor]


def mix_copy(p_gen, p_vocab, attention, src_ext, num_oovs):
    """The copy mechanism's distribution over the extended vocabulary, floored at LOG_EPSILON:
    p_gen · p_vocab + (1 − p_gen) · Σ_{i: src_i = w} attention_i, the sum as a scatter-add (the TS
    side uses a one-hot batchMatMul). p_gen [B, T, 1], p_vocab [B, T, V], attention [B, T, S]."""
    B, T, V = p_vocab.shape
    p_copy = torch.zeros(B, T, V + num_oovs, dtype=p_vocab.dtype, device=p_vocab.device)
    p_copy.scatter_add_(2, src_ext.unsqueeze(1).expand(B, T, -1), attention)
    return (p_gen * F.pad(p_vocab, (0, num_oovs)) + (1 - p_gen) * p_copy).clamp(min=LOG_EPSILON)


class Seq2Seq(nn.Module):
    def __init__(self, c: NetworkConfig):
        super().__init__()
        c.validate()
        self.config = c
        self.shapes = param_shapes(c)
        E, H = c.embedding_dim, c.hidden_size
        self.encoder_layers = nn.ModuleList()
        for layer in range(c.num_layers):
            bidirectional = len(encoder_directions(c, layer)) == 2
            lstm = nn.LSTM(
                E if layer == 0 else H, H // 2 if bidirectional else H, batch_first=True, bidirectional=bidirectional
            )
            for name, p in lstm.named_parameters():
                if name.startswith("bias_hh"):
                    p.requires_grad_(False)  # the file has one bias per direction: bias_ih carries it
            self.encoder_layers.append(lstm)
        # Everything else in the file's own layout.
        self.file_params = nn.ParameterDict(
            {
                _flat(n): nn.Parameter(torch.zeros(shape))
                for n, shape in self.shapes.items()
                if not n.startswith("encoder.")
            }
        )

    # ───────────── the file's layout ─────────────

    def _encoder_slots(self):
        """(file prefix, nn.LSTM, torch suffix) for each encoder layer and direction."""
        for layer, lstm in enumerate(self.encoder_layers):
            for d in encoder_directions(self.config, layer):
                yield f"encoder.l{layer}.{d}", lstm, "_l0_reverse" if d == "bw" else "_l0"

    def file_tensors(self) -> dict[str, torch.Tensor]:
        """Detached float32 CPU tensors named and shaped as in lstm_weights.bin."""
        out: dict[str, torch.Tensor] = {}
        with torch.no_grad():
            enc = {}
            for prefix, lstm, sfx in self._encoder_slots():
                enc[f"{prefix}.kernel"] = getattr(lstm, f"weight_ih{sfx}").t()
                enc[f"{prefix}.recurrent"] = getattr(lstm, f"weight_hh{sfx}").t()
                enc[f"{prefix}.bias"] = getattr(lstm, f"bias_ih{sfx}") + getattr(lstm, f"bias_hh{sfx}")
            for name in self.shapes:
                t = enc[name] if name.startswith("encoder.") else self.file_params[_flat(name)]
                out[name] = t.detach().to("cpu", torch.float32).contiguous().clone()
        return out

    def load_file_tensors(self, tensors: dict[str, torch.Tensor]) -> None:
        missing = [n for n in self.shapes if n not in tensors]
        if missing:
            raise ValueError(f"the weights lack {len(missing)} parameters of this architecture, first: {missing[0]}")
        for n, shape in self.shapes.items():
            if tuple(tensors[n].shape) != shape:
                raise ValueError(f"parameter {n} has shape {list(tensors[n].shape)}, the config wants {list(shape)}")
        with torch.no_grad():
            for prefix, lstm, sfx in self._encoder_slots():
                getattr(lstm, f"weight_ih{sfx}").copy_(tensors[f"{prefix}.kernel"].t())
                getattr(lstm, f"weight_hh{sfx}").copy_(tensors[f"{prefix}.recurrent"].t())
                getattr(lstm, f"bias_ih{sfx}").copy_(tensors[f"{prefix}.bias"])
                getattr(lstm, f"bias_hh{sfx}").zero_()
            for n in self.shapes:
                if not n.startswith("encoder."):
                    self.file_params[_flat(n)].copy_(tensors[n])

    def p(self, name: str) -> torch.Tensor:
        return self.file_params[_flat(name)]

    # ───────────── encoder ─────────────

    def encode(self, b: Batch, drop):
        """Projected keys and values split per head, the padding's bias, and the decoder's initial state."""
        c = self.config
        lengths = b.src_mask.sum(1).to(torch.int64).clamp(min=1).cpu()
        x = drop(F.embedding(b.src, self.p("embedding")))
        finals_h, finals_c = [], []
        S = b.src.shape[1]
        for layer, lstm in enumerate(self.encoder_layers):
            # on the CPU torch runs each layer as oneDNN's fused LSTM (aten::mkldnn_rnn_layer)
            packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, (h_n, c_n) = lstm(packed)
            x, _ = pad_packed_sequence(out, batch_first=True, total_length=S)  # zeros at padding, as the TS mask gives
            # h_n [directions, B, h]: both directions side by side, forward first
            finals_h.append(torch.cat(list(h_n), dim=1))
            finals_c.append(torch.cat(list(c_n), dim=1))
            if layer < c.num_layers - 1:
                x = drop(x)
        h0 = [
            torch.tanh(finals_h[layer] @ self.p(f"bridge.l{layer}.h.kernel") + self.p(f"bridge.l{layer}.h.bias"))
            for layer in range(c.num_layers)
        ]
        c0 = [
            torch.tanh(finals_c[layer] @ self.p(f"bridge.l{layer}.c.kernel") + self.p(f"bridge.l{layer}.c.bias"))
            for layer in range(c.num_layers)
        ]
        B, heads = b.src.shape[0], c.attention_heads
        hd = c.hidden_size // heads
        # laid out once for the per-step products (a transposed view would be copied at every step):
        # keys [B·heads, hd, S], values [B·heads, S, hd], the padding's bias [B·heads, 1, S]
        keys = (x @ self.p("attention.key")).view(B, S, heads, hd).permute(0, 2, 3, 1).reshape(B * heads, hd, S)
        values = (x @ self.p("attention.value")).view(B, S, heads, hd).transpose(1, 2).reshape(B * heads, S, hd)
        mask_bias = ((1 - b.src_mask) * MASK_NEGATIVE).view(B, 1, 1, S).expand(B, heads, 1, S).reshape(B * heads, 1, S)
        context = torch.zeros(B, c.hidden_size, dtype=x.dtype, device=x.device)
        return keys, values, mask_bias, (h0, c0, context)

    def attend(self, keys, values, mask_bias, query):
        BH, hd, S = keys.shape
        B = query.shape[0]
        # the scale on the small query rather than the product: as `alpha` its gradient scales the keys' at every step
        q = (query @ self.p("attention.query")).view(BH, 1, hd) * (1 / math.sqrt(hd))
        scores = torch.baddbmm(mask_bias, q, keys)  # mask + q·kᵀ / √hd
        weights = torch.softmax(scores, dim=-1)  # [B·heads, 1, S]
        context = torch.bmm(weights, values).view(B, BH // B * hd) @ self.p("attention.output")
        return context, weights.view(B, BH // B, S).mean(1)

    def decoder_weights(self) -> DecoderWeights:
        """The decoder's kernels split once per forward: slicing them at every step would give each
        step's gradient a full-size zero tensor to fill."""
        E, L = self.config.embedding_dim, self.config.num_layers
        k0 = self.p("decoder.l0.kernel")
        return DecoderWeights(
            token_kernel=k0[:E],
            context_kernel=k0[E:],
            recurrent=[self.p(f"decoder.l{layer}.recurrent") for layer in range(L)],
            kernels=[None, *(self.p(f"decoder.l{layer}.kernel") for layer in range(1, L))],
            biases=[self.p(f"decoder.l{layer}.bias") for layer in range(L)],
        )

    def recurrent_step(self, keys, values, mask_bias, state, token_proj, drop, w: DecoderWeights):
        h_prev, c_prev, context = state
        proj = torch.addmm(token_proj, context, w.context_kernel)
        hs, cs = [], []
        L = len(h_prev)
        for layer in range(L):
            z = torch.addmm(proj, h_prev[layer], w.recurrent[layer])
            i, f, g, o = z.chunk(4, dim=1)
            c_next = torch.addcmul(torch.sigmoid(f) * c_prev[layer], torch.sigmoid(i), torch.tanh(g))
            h_next = torch.sigmoid(o) * torch.tanh(c_next)
            hs.append(h_next)
            cs.append(c_next)
            if layer + 1 < L:
                proj = torch.addmm(w.biases[layer + 1], drop(h_next), w.kernels[layer + 1])
        context, attention = self.attend(keys, values, mask_bias, hs[-1])
        return (hs, cs, context), hs[-1], attention

    def project_tokens(self, emb, w: DecoderWeights):
        return emb @ w.token_kernel + w.biases[0]

    def _hidden_and_logits(self, top, context, drop):
        H = self.config.hidden_size
        ck = self.p("combine.kernel")
        hidden = drop(torch.tanh(top @ ck[:H] + context @ ck[H:] + self.p("combine.bias")))
        return hidden @ self.p("out.kernel") + self.p("out.bias")

    def _copy_gate(self, top, context, emb):
        """p_gen [B, T, 1]: the weight of the vocabulary distribution against copying."""
        H = self.config.hidden_size
        g = self.p("copy.gate")
        return torch.sigmoid(context @ g[:H] + top @ g[H : 2 * H] + emb @ g[2 * H :] + self.p("copy.bias"))

    def output_head(self, top, context, emb, attention, src_ext, num_oovs, drop):
        """Log-probabilities over the extended vocabulary [B, T, V + num_oovs]."""
        logits = self._hidden_and_logits(top, context, drop)
        if not self.config.copy_mechanism:
            return torch.log_softmax(logits, dim=-1)
        p_gen = self._copy_gate(top, context, emb)
        return torch.log(mix_copy(p_gen, torch.softmax(logits, dim=-1), attention, src_ext, num_oovs))

    def target_log_probs(self, top, context, emb, attention, b: Batch, drop):
        """The log-probability of each target [B, T] and the argmax of the distribution [B, T]:
        output_head's values at the targets without building the [B, T, V + num_oovs] distribution
        in the gradient's graph (the argmax needs it, but not its gradient)."""
        logits = self._hidden_and_logits(top, context, drop)
        V = logits.shape[-1]
        target = b.tgt_out
        in_vocab = target < V
        # softmax at the target: exp(logit − logsumexp), zero for a copied out-of-vocabulary id
        target_logit = logits.gather(2, torch.where(in_vocab, target, 0).unsqueeze(2)).squeeze(2)
        p_vocab = torch.exp(target_logit - torch.logsumexp(logits, dim=-1)) * in_vocab
        if not self.config.copy_mechanism:
            with torch.no_grad():
                predicted = torch.softmax(logits, dim=-1).argmax(2)  # as the distribution ranks (ties in rounding)
            return torch.log(p_vocab.clamp(min=LOG_EPSILON)), predicted
        p_gen = self._copy_gate(top, context, emb)
        # Σ_{i: src_i = target} attention_i
        p_copy = (attention * (b.src_ext.unsqueeze(1) == target.unsqueeze(2))).sum(2)
        p_gen = p_gen.squeeze(2)
        mixed = (p_gen * p_vocab + (1 - p_gen) * p_copy).clamp(min=LOG_EPSILON)
        with torch.no_grad():
            predicted = mix_copy(
                p_gen.unsqueeze(2), torch.softmax(logits, dim=-1), attention, b.src_ext, b.num_oovs
            ).argmax(2)
        return torch.log(mixed), predicted

    def _dropout(self):
        rate = self.config.dropout
        if self.training and rate > 0:
            return lambda t: F.dropout(t, rate, True)
        return lambda t: t

    def forward(self, b: Batch):
        """Teacher-forced sums: (negative log-likelihood summed over real target tokens, correct tokens, real tokens)."""
        tops, contexts, emb, attentions, drop = self._teacher_forced(b)
        target_lp, predicted = self.target_log_probs(tops, contexts, emb, attentions, b, drop)
        nll = -(target_lp * b.tgt_mask).sum()
        correct = ((predicted == b.tgt_out).to(b.tgt_mask.dtype) * b.tgt_mask).sum()
        return nll, correct.detach(), b.tgt_mask.sum()

    def target_probs(self, b: Batch) -> torch.Tensor:
        """Teacher-forced probabilities over the extended vocabulary at each target position, [B, T, V + oovs]
        (the whole distribution: for measuring, e.g. trainer.token_kinds; training reads only the targets)."""
        tops, contexts, emb, attentions, drop = self._teacher_forced(b)
        return torch.exp(self.output_head(tops, contexts, emb, attentions, b.src_ext, b.num_oovs, drop))

    def _teacher_forced(self, b: Batch):
        """The decoder run over the reference targets: top states, contexts, target embeddings,
        attentions (each stacked over steps) and the dropout used."""
        drop = self._dropout()
        keys, values, mask_bias, state = self.encode(b, drop)
        w = self.decoder_weights()
        emb = drop(F.embedding(b.tgt_in, self.p("embedding")))  # [B, T, E]
        tops, contexts, attentions = [], [], []
        # unbind, not proj[:, t]: one gradient node for all steps instead of a full-size one per step
        for token_proj in self.project_tokens(emb, w).unbind(1):
            state, top, attention = self.recurrent_step(keys, values, mask_bias, state, token_proj, drop, w)
            tops.append(top)
            contexts.append(state[2])
            attentions.append(attention)
        return torch.stack(tops, 1), torch.stack(contexts, 1), emb, torch.stack(attentions, 1), drop

    @torch.no_grad()
    def greedy(self, b: Batch, max_len: int | None = None, min_len: int = 0) -> list[list[int]]:
        """Greedy decoding as decoding.ts's greedyDecode: argmax over the extended vocabulary with
        <pad> and <s> banned (and </s> before min_len tokens), copied ids fed back as <unk>, until
        </s> or max_len tokens."""
        c = self.config
        max_len = max_len or c.max_target_length

        def ident(t):  # no dropout when decoding
            return t

        keys, values, mask_bias, state = self.encode(b, ident)
        w = self.decoder_weights()
        B = b.src.shape[0]
        prev = torch.full((B,), BOS_ID, dtype=torch.int64, device=b.src.device)
        out: list[list[int]] = [[] for _ in range(B)]
        done = [False] * B
        for t in range(max_len):
            if all(done):
                break
            emb = F.embedding(torch.where(prev >= c.vocab_size, UNK_ID, prev), self.p("embedding"))
            token_proj = self.project_tokens(emb, w)
            state, top, attention = self.recurrent_step(keys, values, mask_bias, state, token_proj, ident, w)
            lp = self.output_head(
                top[:, None], state[2][:, None], emb[:, None], attention[:, None], b.src_ext, b.num_oovs, ident
            )[:, 0]
            lp[:, PAD_ID] = -math.inf
            lp[:, BOS_ID] = -math.inf
            if t < min_len:
                lp[:, EOS_ID] = -math.inf
            prev = lp.argmax(1)
            for i, token in enumerate(prev.tolist()):
                if not done[i]:
                    out[i].append(token)
                    done[i] = token == EOS_ID
        return out
