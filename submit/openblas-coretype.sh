# Sourced by submit/seqml and submit/local-cluster: picks ND4J's OpenBLAS kernels for this machine.
# OpenBLAS 0.3.19 does not know newer AVX-512 CPUs and falls back to older kernels (Haswell on AMD Zen 4
# and later, Prescott/SSE3 on Intel Emerald Rapids); its SkylakeX kernels made the LSTM step 1.11-1.5x
# (AMD) and 1.49x (Intel) faster (docs/BENCHMARKS.md). Only on a CPU with every AVX-512 subset those
# kernels use, and never over the user's own choice; a choice of older kernels on such a CPU gets a
# one-line notice (some environments set OPENBLAS_CORETYPE for reasons of their own).

# SEQML_CPUINFO: another cpuinfo file, for the launcher's tests.
avx512_cpu() {
  local info="${SEQML_CPUINFO:-/proc/cpuinfo}" flag
  for flag in avx512f avx512bw avx512vl avx512dq avx512cd; do
    grep -qw "$flag" "$info" 2>/dev/null || return 1
  done
}

if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
  if avx512_cpu; then export OPENBLAS_CORETYPE=SkylakeX; fi
elif [[ ! "${OPENBLAS_CORETYPE,,}" =~ ^(skylakex|cooperlake)$ ]] && avx512_cpu; then
  echo "seqml: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE from the environment keeps ND4J's OpenBLAS off this CPU's" \
    "AVX-512 kernels; unset it (or set SkylakeX) for faster LSTM and Transformer steps" >&2
fi
