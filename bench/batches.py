"""Milliseconds to make a batch: `BertSortedDL` building batches in bulk (the default) against fastai's item-by-item way (`bulk=False`).

Usage: python bench/batches.py [--rows 3000] [--reps 3]
Classifier batches of Jigsaw train_5k comments (6 labels, max_len 256, batch 32) and masked-LM batches of the same comments (blocks
of 128 tokens, masking included), with SPLADE-tiny's tokenizer; one pass over the training batches first (it tokenizes, and in bulk
makes the table), then the best of `--reps` passes. Model time is not included. Appends to bench/results/batches.jsonl."""
import argparse, time
from common import *

def per_batch(dl, reps:int)->float:
    "Best milliseconds per batch over `reps` passes through `dl`, after a first one"
    list(dl); best = float('inf')
    for _ in range(reps):
        t = time.perf_counter(); list(dl); best = min(best, (time.perf_counter()-t)/len(dl))
    return 1000*best

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rows', type=int, default=3000); p.add_argument('--reps', type=int, default=3)
    a = p.parse_args()
    from fastbert import BertDataLoaders, load_tok
    df,text,label,_ = load_set('jigsaw', a.rows, valid_rows=500)
    tok = load_tok(ckpt('splade'))
    for kind,dls in [('classifier', BertDataLoaders.from_df(df, tok, text_col=text, label_col=label, valid_col='is_valid', max_len=256, bs=32, seed=42)),
                     ('masked LM', BertDataLoaders.from_df(df, tok, text_col=text, is_lm=True, valid_col='is_valid', bs=32, seed=42))]:
        r = {name: per_batch(dls.train.new(bulk=name == 'bulk', shuffle=True), a.reps) for name in ('bulk', 'item')}
        print(f"{kind:10} {len(dls.train)} batches: in bulk {r['bulk']:.2f} ms a batch, item by item {r['item']:.2f} ms ({r['item']/r['bulk']:.1f}x)", flush=True)
        save('batches', dict(kind=kind, rows=a.rows, batches=len(dls.train), bulk_ms=r['bulk'], item_ms=r['item'], time=time.strftime('%Y-%m-%d %H:%M')))

if __name__ == '__main__': main()
