#!/usr/bin/env bash
# Fuzzes one reader for a bounded time from a seed corpus written here (valid files, and for model
# files every crafted one of craft_model_files.py), and fails if libFuzzer finds an input that
# crashes it, trips AddressSanitizer or UBSan, hangs, or exhausts memory.
#   run_fuzzer.sh TARGET FUZZER_BINARY WORK_DIR SECONDS
set -euo pipefail
target=$1 fuzzer=$2 work=$3 seconds=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work/seeds" "$work/corpus"
case $target in
  idx_file) /usr/bin/python3 - "$work/seeds" <<'PY'
import gzip, struct, sys
d = sys.argv[1]
images = bytes([0, 0, 8, 3]) + struct.pack(">III", 2, 4, 4) + bytes(range(32))
open(d + "/images", "wb").write(images)
open(d + "/images.gz", "wb").write(gzip.compress(images))
open(d + "/labels", "wb").write(bytes([0, 0, 8, 1]) + struct.pack(">I", 3) + bytes([1, 2, 3]))
PY
  ;;
  cifar10_batch) /usr/bin/python3 -c "open('$work/seeds/batch', 'wb').write((bytes([3]) + bytes(range(256)) * 12) * 2)" ;;
  state_file) /usr/bin/python3 "$here/../craft_model_files.py" "$work/seeds" >/dev/null ;;
  *) echo "unknown fuzz target $target" >&2; exit 2 ;;
esac
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:handle_abort=1
export UBSAN_OPTIONS=print_stacktrace=1
"$fuzzer" "$work/corpus" "$work/seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/crash-" -print_final_stats=1 2>&1 | grep -Ev '^#[0-9]+ +(NEW|REDUCE|pulse)'
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzz_$target found an input that breaks it: $(ls "$work"/crash-* 2>/dev/null | head -1)" >&2
  exit 1
fi
