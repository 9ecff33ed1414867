"""The model files (docs/design.md#model-files), read and written without the safetensors package.

lstm_weights.bin: 8-byte little-endian header length N, N bytes of JSON (tensors in name order,
`__metadata__` first, padded with spaces to a multiple of 8), then raw little-endian float32 data;
the layout of src/model/files/safetensors.ts's writeSafetensors, byte for byte.

The hashes the app's loader checks (src/model/files/fingerprint.ts), recomputed here:
- architecture_hash: FNV-1a 64-bit over the UTF-8 bytes of the canonical JSON of the config's
  [architecture] table (keys sorted, no spaces, numbers as JavaScript prints them), as 16 hex digits.
- vocab_hash: FNV-1a 64-bit over the lexer version (4 bytes little-endian), then for each token in
  id order its UTF-8 byte length (4 bytes little-endian) and its bytes, as 16 hex digits.
"""

from __future__ import annotations

import json
import math
import struct
from pathlib import Path

import numpy as np
import torch

WEIGHTS_FORMAT = "lstm-coding-optimizer"
WEIGHTS_FORMAT_VERSION = "1"
TOKENIZER_FORMAT = "lstm-coding-optimizer-tokenizer"
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK_64 = (1 << 64) - 1


class ModelFileError(Exception):
    """A model file that cannot be used: the message names the file, the problem and the fix."""


def fnv1a64(data: bytes, h: int = FNV_OFFSET) -> int:
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK_64
    return h


def js_number(x) -> str:
    """A number as JavaScript's JSON.stringify writes it (1.0 → "1", 0.2 → "0.2", 1e-7 → "1e-7")."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return "null"
    if x == int(x) and abs(x) < 1e21:
        return str(int(x))
    text = repr(float(x))
    if "e" in text:  # Python 1e-07, JavaScript 1e-7; Python 1.5e+22, JavaScript 1.5e+22
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
    return text


def canonical_json(value) -> str:
    """fingerprint.ts's canonicalJson: keys sorted at every depth, no whitespace."""
    if isinstance(value, (bool, int, float)):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(
                json.dumps(k, ensure_ascii=False) + ":" + canonical_json(value[k])
                for k in sorted(value)
                if value[k] is not None
            )
            + "}"
        )
    if value is None:
        return "null"
    raise TypeError(f"canonical_json: {type(value).__name__}")


def architecture_hash(architecture: dict) -> str:
    return f"{fnv1a64(canonical_json(architecture).encode('utf-8')):016x}"


def vocab_hash(tokens: list[str], lexer_version: int) -> str:
    h = fnv1a64(struct.pack("<I", lexer_version))
    for token in tokens:
        data = token.encode("utf-8")
        h = fnv1a64(struct.pack("<I", len(data)) + data, h)
    return f"{h:016x}"


# ───────────── tokenizer.json ─────────────


def read_tokenizer(path: Path) -> dict:
    try:
        doc = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise ModelFileError(f"{path}: not found; build the data with `npm run cli -- dataset`") from None
    except json.JSONDecodeError as e:
        raise ModelFileError(f"{path}: not valid JSON ({e}); rebuild it with `npm run cli -- dataset`") from None
    if doc.get("format") != TOKENIZER_FORMAT or not isinstance(doc.get("tokens"), list):
        raise ModelFileError(
            f"{path}: not a tokenizer.json of this project (format {doc.get('format')!r}); rebuild it with `npm run cli -- dataset`"
        )
    recorded = doc.get("fingerprint")
    actual = vocab_hash(doc["tokens"], doc["lexer_version"])
    if recorded is not None and recorded != actual:
        raise ModelFileError(
            f"{path}: records fingerprint {recorded} but its tokens hash to {actual}; rebuild it with `npm run cli -- dataset`"
        )
    doc["fingerprint"] = actual
    return doc


# ───────────── safetensors ─────────────


def write_safetensors(path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    full = {"format": WEIGHTS_FORMAT, "format_version": WEIGHTS_FORMAT_VERSION, **metadata}
    parts = ['"__metadata__":' + json.dumps(full, separators=(",", ":"), ensure_ascii=False)]
    blobs = []
    offset = 0
    for name in sorted(tensors):
        array = tensors[name].detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4", copy=False)
        if not np.isfinite(array).all():
            raise ValueError(f"tensor {name} holds a NaN or infinity; refusing to write a file that cannot be loaded")
        entry = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + array.nbytes]}
        parts.append(json.dumps(name) + ":" + json.dumps(entry, separators=(",", ":")))
        blobs.append(array.tobytes())
        offset += array.nbytes
    header = ("{" + ",".join(parts) + "}").encode("utf-8")
    padded = header + b" " * ((-len(header)) % 8)
    tmp = Path(f"{path}.tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(padded)))
        f.write(padded)
        for blob in blobs:
            f.write(blob)
    tmp.replace(path)  # never a half-written weights file


def read_safetensors(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    data = Path(path).read_bytes()
    if len(data) < 8:
        raise ModelFileError(f"{path}: {len(data)} bytes, too short for a safetensors header")
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ModelFileError(f"{path}: no safetensors header (header length {n} exceeds the file)")
    try:
        header = json.loads(data[8 : 8 + n].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelFileError(f"{path}: the safetensors header is not JSON ({e})") from None
    metadata = header.pop("__metadata__", {}) or {}
    if metadata.get("format") != WEIGHTS_FORMAT:
        raise ModelFileError(f"{path}: __metadata__.format is {metadata.get('format')!r}, expected {WEIGHTS_FORMAT!r}")
    dtypes = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "F64": np.dtype("<f8")}
    tensors = {}
    base = 8 + n
    for name, e in header.items():
        if e["dtype"] not in dtypes:
            raise ModelFileError(f"{path}: tensor {name} has dtype {e['dtype']}; F32, F16 and F64 are read")
        begin, end = e["data_offsets"]
        array = (
            np.frombuffer(data[base + begin : base + end], dtype=dtypes[e["dtype"]])
            .astype(np.float32)
            .reshape(e["shape"])
        )
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


# ───────────── model_config.toml ─────────────


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    raise TypeError(f"TOML value of type {type(v).__name__}")


def toml_text(doc: dict, header: str = "") -> str:
    """Nested tables of scalars as TOML (what model_config.toml needs)."""
    lines = [f"# {header}", ""] if header else []

    def table(path: str, t: dict):
        scalars = {k: v for k, v in t.items() if not isinstance(v, dict)}
        if path and (scalars or not any(isinstance(v, dict) for v in t.values())):
            lines.append(f"[{path}]")
        for k, v in scalars.items():
            lines.append(f"{k} = {_toml_value(v)}")
        if scalars:
            lines.append("")
        for k, v in t.items():
            if isinstance(v, dict):
                table(f"{path}.{k}" if path else k, v)

    table("", doc)
    return "\n".join(lines).rstrip() + "\n"


def write_model_files(
    out_dir: Path,
    config: dict,
    tokenizer: dict,
    tensors: dict[str, torch.Tensor],
    extra_metadata: dict[str, str] | None = None,
) -> None:
    """lstm_weights.bin, model_config.toml and tokenizer.json, tied by their hashes as the app's
    loader expects (src/model/files/model-files.ts's writeModelFiles)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    config = {**config, "architecture": {**config["architecture"], "vocab_size": len(tokenizer["tokens"])}}
    metadata = {
        "model_name": config["model"]["name"],
        "model_version": config["model"]["version"],
        "architecture_hash": architecture_hash(config["architecture"]),
        "vocab_hash": tokenizer["fingerprint"],
        **(extra_metadata or {}),
    }
    write_safetensors(out_dir / "lstm_weights.bin", tensors, metadata)
    (out_dir / "model_config.toml").write_text(
        toml_text(config, "Written by the PyTorch trainer (python3 -m trainer); see docs/design.md."), "utf-8"
    )
    tok = {k: tokenizer[k] for k in ("format", "lexer_version", "specials", "tokens", "fingerprint")}
    (out_dir / "tokenizer.json").write_text(json.dumps(tok, indent=1, ensure_ascii=False) + "\n", "utf-8")


def read_model_dir(model_dir: Path) -> tuple[dict, dict, dict[str, torch.Tensor], dict[str, str]]:
    """config, tokenizer, file tensors and metadata of a model folder, hashes checked."""
    import tomllib

    model_dir = Path(model_dir)
    try:
        config = tomllib.loads((model_dir / "model_config.toml").read_text("utf-8"))
    except FileNotFoundError:
        raise ModelFileError(
            f"{model_dir}/model_config.toml: not found; a model folder holds lstm_weights.bin, model_config.toml and tokenizer.json"
        ) from None
    except tomllib.TOMLDecodeError as e:
        raise ModelFileError(f"{model_dir}/model_config.toml: not valid TOML ({e})") from None
    tokenizer = read_tokenizer(model_dir / "tokenizer.json")
    tensors, metadata = read_safetensors(model_dir / "lstm_weights.bin")
    arch = config.get("architecture", {})
    if metadata.get("architecture_hash") not in (None, architecture_hash(arch)):
        raise ModelFileError(
            f"{model_dir}/lstm_weights.bin: architecture_hash {metadata['architecture_hash']} does not match the [architecture] of model_config.toml ({architecture_hash(arch)}); use the config saved with these weights"
        )
    if metadata.get("vocab_hash") not in (None, tokenizer["fingerprint"]):
        raise ModelFileError(
            f"{model_dir}/lstm_weights.bin: vocab_hash {metadata['vocab_hash']} does not match tokenizer.json ({tokenizer['fingerprint']}); use the tokenizer saved with these weights"
        )
    return config, tokenizer, tensors, metadata
