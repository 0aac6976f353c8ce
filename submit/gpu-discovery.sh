#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript): prints the
# GPUs this host's process may use as Spark resource JSON, e.g. {"name":"gpu","addresses":["0","1"]}.
# Addresses are device indices; with CUDA_VISIBLE_DEVICES set, only those devices are listed, and
# seqml maps an address to its position among them (org.seqml.train.GpuBinding).
set -euo pipefail
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  ids="$CUDA_VISIBLE_DEVICES"
elif command -v nvidia-smi > /dev/null; then
  ids=$(nvidia-smi --query-gpu=index --format=csv,noheader | paste -sd, -)
else
  ids=""
fi
addresses=$(echo "$ids" | tr ',' '\n' | sed '/^\s*$/d' | sed 's/.*/"&"/' | paste -sd, -)
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
