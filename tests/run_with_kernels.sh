#!/usr/bin/env bash
# Runs the study-claim tests on other kernels than the CPU's best, so that a claim that holds only
# on the kernels of the machine it was developed on fails here, in CI, and not on a user's machine.
#   onednn-avx2 / onednn-sse41   oneDNN's convolutions capped at that instruction set
#   openblas-older / -oldest     OpenBLAS's products on the next one / two older kernel families
#                                the CPU supports (SkylakeX -> Haswell -> Sandybridge -> Nehalem)
# Each runs one seed per study (the main test run checks three), of the studies whose work the
# kernels do: convolutions for oneDNN, matrix products for OpenBLAS. KernelSettings checks that the
# setting took effect.
set -euo pipefail
variant=$1 tests=$2
has() { grep -qw "$1" /proc/cpuinfo; }
families=()
has avx512f && families+=(SkylakeX)
has avx2 && families+=(Haswell)
has avx && families+=(Sandybridge)
families+=(Nehalem)
convolutions='AdversarialTrainingClaims.Hold*'
products='FeatureAveragingClaims.Hold*:FeatureAveragingRealClaims.Hold*:NtkRobustnessClaims.Hold*:FeaturePurificationClaims.Hold*'
case "$variant" in
  onednn-avx2) if has avx2; then export ONEDNN_MAX_CPU_ISA=AVX2; else export ONEDNN_MAX_CPU_ISA=SSE41; fi; claims=$convolutions ;;
  onednn-sse41) export ONEDNN_MAX_CPU_ISA=SSE41; claims=$convolutions ;;
  openblas-older) export OPENBLAS_CORETYPE=${families[1]}; claims=$products ;;
  openblas-oldest) export OPENBLAS_CORETYPE=${families[2]:-${families[1]}}; claims=$products ;;
  *) echo "unknown variant $variant" >&2; exit 2 ;;
esac
export ROBUSTLAB_TEST_SEEDS=1
echo "kernel variant $variant: ONEDNN_MAX_CPU_ISA=${ONEDNN_MAX_CPU_ISA:-} OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-}"
exec "$tests" --gtest_filter="$claims:KernelSettings.*"
