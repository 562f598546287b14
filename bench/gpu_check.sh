#!/bin/bash
# Issue 29's checks on a lent GPU, in one device call of at most 600 s. Here first: `make gpu-kit` (the packages the device
# image lacks, the checkpoint, the data); then device run: command "bash bench/gpu_check.sh", carry [".gpukit"], timeout_s 600.
# Most important first, each part with its own time limit: the CUDA tests, fastbert against the Trainer and the pipeline
# (BERT-base shape, then MiniLM), the demo's quality, then fastbert's options. Leaves under $OUT: gpu.txt (the GPU),
# test_cuda.log, gpu.log and gpu.jsonl (bench/gpu.py's results, to append to bench/results/gpu.jsonl).
set -o pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpukit/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD:$PWD/.gpukit/stub FASTBERT_DATA=$PWD/.gpukit/data BENCH_OUT=$OUT HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee $OUT/gpu.txt
timeout 100 python3 -m pytest -q -p no:cacheprovider tests/test_cuda.py 2>&1 | tee $OUT/test_cuda.log
gpu() { timeout $1 python3 bench/gpu.py "${@:2}" $GPU_OPTS 2>&1 | tee -a $OUT/gpu.log; } # GPU_OPTS: more options, last (a trial: "--device cpu --models tiny --rows 160 --warmup 2 --predict-rows 100")
gpu 220 --models base minilm --runners fastbert hf hf-grouped
gpu 100 --runners --no-predict --quality
gpu 150 --models base minilm --rows 4000 --runners fastbert fastbert-compile fastbert-graphs fastbert-compile-exact fastbert-exact fastbert-item --no-predict # 4,000 documents: more of them fit
