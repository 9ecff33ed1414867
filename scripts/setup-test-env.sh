#!/usr/bin/env bash
# What the tests need on a fresh machine, in one place: the README's test command and .ci/run both
# run this, then `npm test`. Works as root (no sudo needed) and as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

# Root runs apt-get itself; anyone else needs sudo (a fresh container as root often has no sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "error: installing Chromium needs root or sudo; run as root, install sudo, or set CHROMIUM_PATH to a Chromium you have" >&2
    exit 1
  fi
}

# 1. Chromium: Playwright cannot download its own browser here, so the tests use Debian's.
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "error: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; unset it to install Debian's chromium" >&2; exit 1; }
  echo "==> Chromium: $CHROMIUM_PATH (CHROMIUM_PATH)"
elif [ -x /usr/bin/chromium ]; then
  echo "==> Chromium: /usr/bin/chromium"
else
  echo "==> installing Debian's chromium"
  # A fresh machine's package lists may be missing or stale: update first.
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] || { echo "error: apt-get install chromium did not leave /usr/bin/chromium" >&2; exit 1; }
fi

# 2. Python packages the tests need: PyTorch and the trainer's test tools, pinned. pip takes torch
# from the machine's disk where its config has a find-links folder with the wheel.
echo "==> pip install -r trainer/requirements.txt"
python3 -m pip install -q -r trainer/requirements.txt
python3 -c "import torch; print('installed torch', torch.__version__, '(CUDA ' + torch.version.cuda + ' build)' if torch.version.cuda else '(CPU-only build)')"

# 3. The project's npm packages, exactly as package-lock.json pins them.
echo "==> npm ci"
npm ci --no-audit --no-fund

# 4. The outside packages: third-party code the model is measured on, never trained on
# (`dataset --outside`, `--measure-outside`), at the versions pinned in src/data/outside-packages.ts
# so every machine measures the same code. Only those missing or at another version are installed.
echo "==> outside packages (src/data/outside-packages.ts)"
outside=$(npx tsx scripts/outside-packages.ts)
if [ -n "$outside" ]; then
  echo "pip install" $outside
  python3 -m pip install -q $outside
  left=$(npx tsx scripts/outside-packages.ts)
  [ -z "$left" ] || { echo "error: still not installed as pinned after pip install:" $left >&2; exit 1; }
fi
echo "outside packages as pinned"
