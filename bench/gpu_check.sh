#!/bin/bash
# Issue 29's checks on a lent GPU, in one device call. Here first: `make gpu-kit` (the packages the device image lacks, the
# checkpoint, the data); then device run: command "bash bench/gpu_check.sh", carry [".gpukit"], timeout_s 560.
# Writes under $OUT: gpu.txt (the GPU), test_cuda.log, gpu.log and gpu.jsonl (bench/gpu.py's results, to append to
# bench/results/gpu.jsonl). GPU_ARGS: bench/gpu.py's options (default --quality).
set -o pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpukit/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD:$PWD/.gpukit/stub FASTBERT_DATA=$PWD/.gpukit/data BENCH_OUT=$OUT HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee $OUT/gpu.txt
timeout 150 python3 -m pytest -q -p no:cacheprovider tests/test_cuda.py 2>&1 | tee $OUT/test_cuda.log
timeout 360 python3 bench/gpu.py ${GPU_ARGS:---quality} 2>&1 | tee $OUT/gpu.log
