"""Training speed on this machine's CPUs: fastbert against the HuggingFace Trainer (default sampler, and length-grouped) and a naive fastai loop.

Usage: python bench/speed.py [--model splade|minilm|tiny] [--data jigsaw|rt|trec|long] [--max-len 128] [--bs 32] [--epochs 1] [--rows N] [--repeats 1] [--runners ...]
Every contender trains the same checkpoint, all layers, on the same training rows (the fixed split of bench/common.py) with the same
batch size, `max_len` and epochs, in its own process on this machine's threads. For each it prints training examples/s (evaluation
excluded), milliseconds per step, padding efficiency (real tokens / tokens computed), peak RSS, and matmul FLOP/s over the fp32 (and bf16)
matmul peak measured in the same run. `--model tiny --data long --max-len 256` is the CPU proxy of a GPU's per-step overhead: a model
whose compute is negligible on batches of 32 x 256 tokens, so the time per step is the loop's own (data, callbacks, optimizer). Results are appended to bench/results/speed.jsonl; `make bench-speed` runs the whole grid."""
import argparse, json, subprocess, sys, time
import numpy as np, torch
from common import *

runners = {'fastbert': "fastbert's defaults: sortish batches, bf16 autocast where the CPU has native bf16",
           'fastbert-fp32': 'fastbert in fp32', 'fastbert-exact': 'fastbert, batches padded to their longest text (a multiple of 8) instead of length buckets',
           'fastbert-even': 'fastbert, batches padded to 8 evenly spaced widths instead of widths fitted to the texts', 'hf': 'HF Trainer, default sampler', 'hf-grouped': 'HF Trainer, group_by_length',
           'fastai-naive': 'fastai Learner on a wrapped BertForSequenceClassification, shuffled batches, no sorting'}
LR = 1e-4

def fastbert_run(a, precision, widths=None):
    from fastbert import BertDataLoaders, bert_classifier_learner, load_tok, set_precision
    df,text,label,_ = load_set(a.data, a.rows, valid_rows=64)
    ck = ckpt(a.model); tok = load_tok(ck)
    dls = BertDataLoaders.from_df(df, tok, text_col=text, label_col=label, valid_col='is_valid', max_len=a.max_len, bs=a.bs, seed=42)
    if widths: widths(dls)
    learn = set_precision(bert_classifier_learner(dls, ck, cbs=clock()), precision)
    learn.unfreeze()
    cnt = Counter(learn.model.body.embeddings.word_embeddings, tok.pad_token_id, learn.model.body.config)
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(a.epochs, LR)
    return dict(cnt.stats(sum(learn.clock.secs), sum(learn.clock.n)), precision=learn.precision)

def naive_run(a):
    "A fastai `Learner` around `AutoModelForSequenceClassification`, as a user would write it in a few lines: shuffled batches padded to their longest text"
    from fastai.basics import Learner, DataLoaders, DataLoader, Module, CrossEntropyLossFlat, BCEWithLogitsLossFlat
    from fastai.text.data import pad_input
    from functools import partial
    from transformers import AutoTokenizer, AutoModelForSequenceClassification
    df,text,label,_ = load_set(a.data, a.rows, valid_rows=64)
    ck = ckpt(a.model); tok = AutoTokenizer.from_pretrained(ck)
    multi = not isinstance(label, str)
    classes = None if multi else sorted(df[label].unique())
    def items(d):
        ids = tok(d[text].tolist(), truncation=True, max_length=a.max_len)['input_ids']
        ys = torch.tensor(d[label].values.astype(np.float32)) if multi else torch.tensor(d[label].map({c:i for i,c in enumerate(classes)}).values)
        return [(torch.tensor(i), y) for i,y in zip(ids, ys)]
    pad = partial(pad_input, pad_idx=tok.pad_token_id)
    dls = DataLoaders(DataLoader(items(df[~df.is_valid]), bs=a.bs, shuffle=True, before_batch=pad),
                      DataLoader(items(df[df.is_valid]), bs=64, before_batch=pad))
    hf = AutoModelForSequenceClassification.from_pretrained(ck, num_labels=len(label) if multi else len(classes))
    class Wrap(Module):
        def __init__(self, hf): self.hf = hf
        def forward(self, x): return self.hf(input_ids=x, attention_mask=(x != tok.pad_token_id).long()).logits
    learn = Learner(dls, Wrap(hf), loss_func=BCEWithLogitsLossFlat() if multi else CrossEntropyLossFlat(), cbs=clock())
    cnt = Counter(hf.base_model.embeddings.word_embeddings, tok.pad_token_id, hf.config)
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(a.epochs, LR)
    return dict(cnt.stats(sum(learn.clock.secs), sum(learn.clock.n)), precision='fp32')

def child(a):
    "Run one contender (or measure the matmul peaks) and print its figures as JSON"
    torch.manual_seed(42)
    if a.child == 'peak': r = dict(fp32=matmul_peak(torch.float32), bf16=matmul_peak(torch.bfloat16))
    elif a.child.startswith('fastbert'): r = fastbert_run(a, 'fp32' if a.child == 'fastbert-fp32' else 'auto', widths={'fastbert-exact': exact_widths, 'fastbert-even': even_widths}.get(a.child))
    elif a.child == 'fastai-naive': r = naive_run(a)
    else:
        df,text,label,metric = load_set(a.data, a.rows, valid_rows=64)
        r = dict(hf_trainer(df, text, label, metric, a.model, LR, a.epochs, a.bs, a.max_len, grouped=a.child == 'hf-grouped', evaluate=False), precision='fp32')
    print('RESULT', json.dumps(dict(r, rss_mb=peak_rss_mb())))

def spawn(a, name)->dict:
    cmd = [sys.executable, __file__, '--child', name, '--model', a.model, '--data', a.data, '--max-len', str(a.max_len), '--bs', str(a.bs),
           '--epochs', str(a.epochs)] + (['--rows', str(a.rows)] if a.rows else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    line = [l for l in p.stdout.splitlines() if l.startswith('RESULT ')]
    if p.returncode or not line: sys.exit(f"{name} failed:\n{p.stderr[-3000:]}")
    return json.loads(line[-1][7:])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='splade', choices=list(MODELS)); p.add_argument('--data', default='jigsaw', choices=['jigsaw', 'rt', 'trec', 'long'])
    p.add_argument('--max-len', type=int, default=128); p.add_argument('--bs', type=int, default=32); p.add_argument('--epochs', type=int, default=1)
    p.add_argument('--rows', type=int, default=None, help='training rows (default: all of the 80 %% split)')
    p.add_argument('--repeats', type=int, default=1, help='rounds over the runners, one after the other; the report takes medians')
    p.add_argument('--runners', nargs='+', default=list(runners), choices=list(runners)); p.add_argument('--child', default=None)
    a = p.parse_args()
    if a.child: return child(a)
    peak = spawn(a, 'peak')
    print(f"{a.model} on {a.data}, max_len {a.max_len}, batch {a.bs}, {a.epochs} epoch(s), {torch.get_num_threads()} threads; "
          f"matmul peak fp32 {peak['fp32']:.3f} TFLOP/s, bf16 {peak['bf16']:.3f} TFLOP/s", flush=True)
    res = {}
    for rep in range(a.repeats):
        for name in a.runners:
            r = spawn(a, name)
            res.setdefault(name, []).append(r)
            r['util'] = r['tflop_s']/peak['bf16' if r['precision'] == 'bf16' else 'fp32']
            print(f"  {name:14} {r['ex_s']:8.1f} ex/s  {1000*a.bs/r['ex_s']:7.1f} ms/step  padding eff {r['pad_eff']:.3f}  peak RSS {r['rss_mb']:6.0f} MiB  "
                  f"{r['tflop_s']:.3f} TFLOP/s = {r['util']:.0%} of the {r['precision']} matmul peak  ({r['examples']} ex in {r['seconds']:.1f} s)", flush=True)
            save('speed', dict(model=a.model, data=a.data, max_len=a.max_len, bs=a.bs, epochs=a.epochs, rows=a.rows, runner=name, rep=rep,
                               peak_fp32=peak['fp32'], peak_bf16=peak['bf16'], time=time.strftime('%Y-%m-%d %H:%M'), **r))
    med = lambda name, k: float(np.median([r[k] for r in res[name]]))
    for ref in ('hf', 'hf-grouped'):
        if ref in res and 'fastbert' in res: print(f"  fastbert / {ref} (medians of {a.repeats}): {med('fastbert', 'ex_s')/med(ref, 'ex_s'):.2f}x examples/s, "
                                                   f"{med('fastbert', 'rss_mb')/med(ref, 'rss_mb'):.2f}x peak RSS")

if __name__ == '__main__': main()
