"""Operators per training step, each a kernel launch on a GPU: fastbert against the HuggingFace Trainer, counted on a CPU.

Usage: python bench/launches.py [--model minilm|base|tiny] [--steps 8] [--max-len 128]
Where a model is small for its GPU, a step lasts as long as the host takes to launch its kernels, one per operator that
computes (views and allocations launch none; autocast's casts do). A `TorchDispatchMode` counts the operators of
`--steps` training steps after 3 warm-up ones, from the step's start to the optimizer's update: fastbert's defaults
(bf16 autocast where native, fused Adam) and the Trainer in bf16 (its AdamW), both training every layer of a
model drawn at random from a config on 20 Newsgroups' documents, batch 32. Prints the counts per step and the 12
commonest operators of each; appends to bench/results/launches.jsonl."""
import argparse, collections, time
from torch.utils._python_dispatch import TorchDispatchMode
from common import *
from gpu import news, rand_ckpt, LR

class Ops(TorchDispatchMode):
    "Count the operators dispatched that compute (not views, not allocations), by name"
    def __init__(self): super().__init__(); self.n = collections.Counter()
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if not func.is_view and func.__name__.split('.')[0] not in ('empty', 'empty_strided', 'detach', 'lift_fresh', '_local_scalar_dense', 'set_'): self.n[func.__name__.split('.')[0]] += 1
        return func(*args, **(kwargs or {}))

class Steps:
    "Counts the operators of the steps after `warmup`: `begin` and `end` bracket each step"
    def __init__(self, warmup:int, steps:int): self.warmup,self.steps,self.i,self.ops,self.mode = warmup,steps,0,Ops(),None
    def begin(self):
        if self.warmup <= self.i < self.warmup + self.steps: self.mode = self.ops; self.mode.__enter__()
    def end(self):
        if self.mode is not None: self.mode.__exit__(None, None, None); self.mode = None
        self.i += 1

def fastbert_ops(a, s:Steps):
    from fastai.callback.core import Callback
    from fastbert import BertDataLoaders, bert_classifier_learner, load_tok, set_precision
    df,_ = news(a.rows); ck = rand_ckpt(a.model)
    dls = BertDataLoaders.from_df(df, load_tok(ck), label_col='label', valid_col='is_valid', max_len=a.max_len, bs=32, seed=42)
    learn = set_precision(bert_classifier_learner(dls, ck), 'auto'); learn.unfreeze()
    class Begin(Callback):
        order = -100 # before every other callback's `before_batch`
        def before_batch(self):
            if self.training: s.begin()
    class End(Callback):
        order = 1000 # after every other callback's `after_batch` (the recorder's losses)
        def after_batch(self):
            if self.training: s.end()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, LR, cbs=[Begin(), End()])

def hf_ops(a, s:Steps):
    from transformers import TrainerCallback
    from fastbert import cpu_bf16
    df,_ = news(a.rows)
    class C(TrainerCallback):
        def __init__(self, cnt): pass
        def on_step_begin(self, *args, **k): s.begin()
        def on_step_end(self, *args, **k): s.end()
    hf_trainer(df, 'text', 'label', 'accuracy', None, LR, 1, 32, a.max_len, evaluate=False, bf16=cpu_bf16(), cbs=[C], ckpt_dir=rand_ckpt(a.model))

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='minilm', choices=['minilm', 'base', 'tiny']); p.add_argument('--steps', type=int, default=8)
    p.add_argument('--max-len', type=int, default=128); p.add_argument('--rows', type=int, default=512)
    a = p.parse_args()
    for name,f in [('fastbert', fastbert_ops), ('hf', hf_ops)]:
        s = Steps(3, a.steps); f(a, s)
        n = s.ops.n; per = sum(n.values())/a.steps
        print(f"{name:9} {per:7.1f} operators a step; commonest: " + ', '.join(f'{k} {v/a.steps:.0f}' for k,v in n.most_common(12)), flush=True)
        save('launches', dict(runner=name, model=a.model, max_len=a.max_len, steps=a.steps, ops_per_step=per, ops={k: v/a.steps for k,v in n.most_common()}, time=time.strftime('%Y-%m-%d %H:%M')))

if __name__ == '__main__': main()
