#!/usr/bin/env bash
# Creates (once) the Python virtual environment of the benchmark's PyTorch peer and prints its python.
# Usage: bench/ensure-venv.sh [VENV_DIR]   (default: out/bench/venv). Reinstalls when requirements.txt changes.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${1:-out/bench/venv}"
STAMP="$VENV/.requirements.sha256"
WANT="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "$VENV/bin/python"
  exit 0
fi
start=$(date +%s)
python3 -m venv "$VENV" >&2
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt" >&2
"$VENV/bin/python" -c "import torch, pyarrow, pyspark, pandas; assert not torch.cuda.is_available() or True" >&2
echo "$WANT" > "$STAMP"
echo "bench: venv $VENV ready in $(( $(date +%s) - start )) s, $(du -sh "$VENV" | cut -f1)" >&2
echo "$VENV/bin/python"
