"""Training throughput on CPUs: one process in fp32 or bf16, or data-parallel processes under torchrun.

Usage: python bench/distrib.py [CSV] [--precision fp32|bf16] [--bs 32] [--max-len 128] [--rows 2000] [--epochs 2] [--model M]
       OMP_NUM_THREADS=1 torchrun --standalone --nproc_per_node 2 bench/distrib.py [CSV] --bs 16    (global batch 32)
Trains the SPLADE-tiny classifier, all layers, for two epochs on the texts of CSV (default: the bundled Jigsaw sample) and
prints training examples per second over all processes in the last epoch (validation not counted), and appends it to
bench/results/distrib.jsonl. `make bench-distrib` runs the three."""
import argparse, time, pandas as pd, torch
from fastai.basics import *
from fastbert import *
from fastbert.distrib import precisions
from common import clock, save

labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('csv', nargs='?', default='data/jigsaw/train.csv.gz')
    p.add_argument('--precision', default='fp32', choices=precisions); p.add_argument('--bs', type=int, default=32)
    p.add_argument('--max-len', type=int, default=128); p.add_argument('--rows', type=int, default=2000)
    p.add_argument('--model', default=None, help='checkpoint folder or hub name (default: SPLADE-tiny)')
    p.add_argument('--epochs', type=int, default=2, help='examples/s is measured on the last epoch (the first pays for warm-up)')
    a = p.parse_args()
    distrib_init()
    ck = a.model or ckpt_path()
    df = pd.read_csv(a.csv)[:a.rows]
    dls = BertDataLoaders.from_df(df, load_tok(ck), text_col='comment_text', label_col=labels, max_len=a.max_len, bs=a.bs, seed=42)
    set_seed(42)
    learn = set_precision(bert_classifier_learner(dls, ck, cbs=clock()), a.precision)
    learn.unfreeze()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(a.epochs, 1e-3)
    world = max(1, num_distrib())
    if not rank_distrib():
        c = learn.clock
        print(f"{a.model or 'SPLADE-tiny'}, {world} process(es) x {torch.get_num_threads()} thread(s), {a.precision}, batch {a.bs} per process, max_len {a.max_len}: "
              f"{c.n[-1]*world/c.secs[-1]:.1f} training examples/s in the last epoch ({c.n[-1]*world} examples in {c.secs[-1]:.1f} s; "
              f"first epoch {c.n[0]*world/c.secs[0]:.1f}/s)")
        save('distrib', dict(model=str(a.model or 'SPLADE-tiny'), processes=world, threads=torch.get_num_threads(), precision=a.precision, bs=a.bs, max_len=a.max_len, rows=a.rows,
                             ex_per_s=c.n[-1]*world/c.secs[-1], first_epoch_ex_per_s=c.n[0]*world/c.secs[0], time=time.strftime('%Y-%m-%d %H:%M')))

if __name__ == '__main__': main()
