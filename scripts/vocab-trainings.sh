#!/usr/bin/env bash
# The vocabulary study's short trainings (docs/vocabulary-study.md): word vocabularies of 2,000,
# 4,000 and 8,000 tokens, each trained from scratch on the same examples for the same number of
# steps, then measured on the same subsets of the outside sets. Run from the repository root:
#
#   STUDY=/path/to/work CORPUS=OUT/source bash scripts/vocab-trainings.sh data
#   STUDY=... STEPS=N bash scripts/vocab-trainings.sh train 2000     (and 4000, 8000; stops at step N, resumes a stopped run)
#   STUDY=... bash scripts/vocab-trainings.sh eval 2000              (and 4000, 8000; `eval shipped` for public/models)
#   STUDY=... bash scripts/vocab-trainings.sh table                  (the markdown table of every finished part)
#
# Everything runs at `nice -n 10` on one thread: the machine is shared. The data, runs and figures
# go under $STUDY, never into the repository.
set -euo pipefail

STUDY=${STUDY:?set STUDY to a work folder outside the repository}
CORPUS=${CORPUS:-}
# Every n-th corpus package (in name order) goes into the study's source: a short training reads a
# small part of the examples anyway, and three builds of the whole corpus would cost an hour here
# (every 10th: 45 packages, 81,886 functions, 3.8M tokens of the 26.5M).
PACKAGE_EVERY=${PACKAGE_EVERY:-10}
SEED=${SEED:-1}
# The runs' planned length: the learning rate falls to a tenth by step PLANNED_STEPS (fixed when a
# run starts). STEPS stops a sitting earlier; `train SIZE` again with a larger STEPS resumes it.
PLANNED_STEPS=${PLANNED_STEPS:-3000}
STEPS=${STEPS:-$PLANNED_STEPS}
EVAL_EVERY=${EVAL_EVERY:-500}
VAL_BATCHES=${VAL_BATCHES:-20}
# Outside examples per set, the same subset for every model: on this loaded machine an example
# took about 4 s to complete, 10 s to fix a misspelled name and 22 s for a generic edit.
COMPLETE_LIMIT=${COMPLETE_LIMIT:-100}
NAMES_LIMIT=${NAMES_LIMIT:-100}
GENERIC_LIMIT=${GENERIC_LIMIT:-100}
OUTSIDE=${OUTSIDE:-data/outside}
SIZES=(2000 4000 8000)

NICE=(nice -n 10)
CLI=("${NICE[@]}" npx tsx src/cli/main.ts)

data() {
  [[ -n "$CORPUS" ]] || { echo "set CORPUS to the source folder of \`corpus --out OUT\`" >&2; exit 2; }
  local source="$STUDY/source"
  if [[ ! -d "$source" ]]; then
    mkdir -p "$source.tmp"
    # hard links: the same files, no copy, and findPythonFiles sees plain files (it skips links)
    LC_ALL=C ls "$CORPUS" | awk -v every="$PACKAGE_EVERY" 'NR % every == 1' | while read -r package; do
      cp -al "$CORPUS/$package" "$source.tmp/$package"
    done
    mv "$source.tmp" "$source"
  fi
  echo "$(ls "$source" | wc -l) packages in $source"
  # the three builds at once: each is one thread, and the machine has more than one core
  local pids=()
  for size in "${SIZES[@]}"; do
    [[ -f "$STUDY/data-$size/dataset_stats.json" ]] && continue
    "${CLI[@]}" dataset --source "$source" --out "$STUDY/data-$size" --seed "$SEED" --generated 0 \
      --vocab-size "$size" --measure-outside no >"$STUDY/data-$size.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  # the same examples in every data folder: only the vocabulary (and so the ids) differ
  for size in "${SIZES[@]:1}"; do
    for split in train val test; do
      cmp "$STUDY/data-${SIZES[0]}/$split.jsonl" "$STUDY/data-$size/$split.jsonl"
    done
  done
  echo "same train/val/test examples in data-${SIZES[*]}"
}

train() {
  local size=$1 out="$STUDY/run-$1"
  local args=(--data "$STUDY/data-$size" --out "$out" --config training/shipped_model.toml
    --max-steps "$STEPS" --eval-interval "$EVAL_EVERY" --val-batches "$VAL_BATCHES" --patience 0 --threads 1)
  if [[ -f "$out/checkpoint.pt" ]]; then
    args+=(--resume)
  else
    args+=(--lr-decay-to 0.1 --lr-decay-steps "$PLANNED_STEPS")
  fi
  "${NICE[@]}" python3 -m trainer train "${args[@]}" >>"$STUDY/run-$size.log" 2>&1
}

subsets() {
  local dir="$STUDY/outside"
  mkdir -p "$dir"
  # written aside, then renamed: an eval of another model may be reading the same file
  head -n "$COMPLETE_LIMIT" "$OUTSIDE/complete.jsonl" >"$dir/complete.jsonl.$$"
  awk -v limit="$NAMES_LIMIT" '/"class":"misspelled_name"/ && n++ < limit' "$OUTSIDE/functions.jsonl" >"$dir/names.jsonl.$$"
  # generic.jsonl interleaves the kinds (insert, delete, substitute, swap, two each): the first lines hold all four
  head -n "$GENERIC_LIMIT" "$OUTSIDE/generic.jsonl" >"$dir/generic.jsonl.$$"
  for set in complete names generic; do mv "$dir/$set.jsonl.$$" "$dir/$set.jsonl"; done
}

evaluate() {
  local name=$1 models
  if [[ "$name" == shipped ]]; then
    models=public/models
  else
    models="$STUDY/run-$name"
    # the same name files for every model (they depend on no vocabulary): the model makes the difference
    cp public/models/identifiers.json public/models/stdlib_members.json "$models/"
    "${NICE[@]}" python3 -m trainer.token_kinds --models "$models" --data "$STUDY/data-$name" \
      --val-batches "$VAL_BATCHES" >"$STUDY/kinds-$name.json"
  fi
  subsets
  # the three sets at once, one process each
  local pids=()
  for set in complete names generic; do
    "${CLI[@]}" eval --data "$STUDY/outside/$set.jsonl" --models "$models" --json \
      >"$STUDY/eval-$name-$set.json" 2>"$STUDY/eval-$name-$set.log" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
}

table() {
  STUDY="$STUDY" python3 - <<'EOF'
import json, os
from pathlib import Path

study = Path(os.environ["STUDY"])

def load(name):
    path = study / name
    # an empty file is a step still running
    return json.loads(path.read_text()) if path.exists() and path.stat().st_size > 0 else None

def pct(v):
    return "–" if v is None else f"{v * 100:.1f}%"

print("| vocabulary | steps | tokens seen | ms/step | tokens/s | val loss | val token acc | in vocab / copy / unk (val targets) | acc in vocab | acc copy | complete exact (token acc) | names exact (token acc) | generic exact (token acc) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name in ("2000", "4000", "8000", "shipped"):
    metrics = load(f"run-{name}/training_metrics.json")
    kinds = load(f"kinds-{name}.json")
    evals = {s: load(f"eval-{name}-{s}.json") for s in ("complete", "names", "generic")}
    if metrics is None and not any(evals.values()):
        continue
    cells = [name]
    if metrics:
        run, last = metrics["run"], metrics["evals"][-1]
        cells += [str(run["steps"]), f"{run['tokens_seen']:,}"]
        # wall time over steps: the validation runs included
        cells += [f"{run['wall_time_ms'] / run['steps']:,.0f}", f"{run['tokens_per_second']:,.0f}"]
        cells += [f"{last['valLoss']:.4f}", pct(last["valTokenAccuracy"])]
    else:
        cells += ["–"] * 6
    if kinds:
        k = kinds["kinds"]
        cells += [" / ".join(pct(k[x]["share"]) for x in ("vocabulary", "copy", "unknown")),
                  pct(k["vocabulary"]["accuracy"]), pct(k["copy"]["accuracy"])]
    else:
        cells += ["–"] * 3
    for s in ("complete", "names", "generic"):
        e = evals[s]
        # exact match of N, then token accuracy: at a few hundred steps exact answers are rare
        cells.append("–" if e is None else f"{pct(e['exact_match'])} of {e['count']} ({pct(e['token_accuracy'])})")
    print("| " + " | ".join(cells) + " |")
EOF
}

case "${1:-}" in
  data) data ;;
  train) train "${2:?train SIZE}" ;;
  eval) evaluate "${2:?eval SIZE|shipped}" ;;
  table) table ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
