"""Held-out quality on Jigsaw: train on train_5k (the recipe's own 20 % validation split), score on dev_balanced, which nothing sees before.

`python bench/heldout.py --variants old default blend --seeds 42 43 44` appends one JSON line per run to bench/results/heldout.jsonl:
the validation and dev_balanced ROC-AUC per label, the blend weight, the thresholds and the seconds. Nothing is chosen by the dev score."""
import argparse, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, JIGSAW, MODELS, ckpt, save
from fastbert import *

# name: options of `ulmfit` that differ from its defaults
VARIANTS = {'old': dict(pos_weight=None, thresh=None, baseline=False),  # the defaults before class weights and the baseline
            'default': {}, 'blend': dict(blend=True), 'focal': dict(gamma=2.), 'focal-blend': dict(gamma=2., blend=True),
            'pw-none-blend': dict(pos_weight=None, blend=True), 'lm3': dict(lm_epochs=3), 'lm3-blend': dict(lm_epochs=3, blend=True),
            'pw-full': dict(pos_weight='full'), 'folds5': dict(folds=5), 'focal-folds5-blend': dict(gamma=2., folds=5, blend=True), 'folds5-blend': dict(folds=5, blend=True), 'refit': dict(refit=True), 'refit-blend': dict(refit=True, blend=True)}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--variants', nargs='+', default=['old', 'default', 'blend'], choices=['tfidf', *VARIANTS])
    p.add_argument('--seeds', type=int, nargs='+', default=[42, 43, 44])
    p.add_argument('--model', default='splade', choices=list(MODELS), help='checkpoint')
    a = p.parse_args()
    tr,dev = pd.read_csv(DATA/'jigsaw'/'train_5k.csv'),pd.read_csv(DATA/'jigsaw'/'dev_balanced.csv.gz')
    pos,n = tr[JIGSAW].sum().values,len(tr)
    VARIANTS['pw-full'] = dict(pos_weight=list(np.minimum((n-pos)/pos, 100.)))  # the untempered ratio, capped at 100
    for v in a.variants:
        for seed in ([None] if v == 'tfidf' else a.seeds):
            t = time.perf_counter()
            if v == 'tfidf':
                pd_,val = TfidfBaseline('multi').fit(tr.comment_text, tr[JIGSAW].values).predict(dev.comment_text),{}
                extra = dict(rows='all 5,000')
            else:
                with tempfile.TemporaryDirectory() as d:
                    clas,r = ulmfit(tr, 'comment_text', JIGSAW, ckpt(a.model), seed=seed, path=d, **VARIANTS[v])
                    clas.recorder.silent = True
                    with clas.no_bar(): pd_ = clas.predict_texts(dev.comment_text)[JIGSAW].values
                val = r.labels.roc_auc.to_dict()
                extra = dict(blend_w=clas.blend and clas.blend.w, thresh=clas.loss_func.thresh, valid=val,
                             valid_tfidf=r.labels.tfidf.to_dict() if 'tfidf' in r.labels else None)
            dev_auc = roc_auc_table(pd_, dev[JIGSAW].values, JIGSAW)
            rec = dict(variant=v, seed=seed, model=a.model, dev=float(dev_auc.mean()), **dev_auc.to_dict(),
                       seconds=round(time.perf_counter()-t, 1), **extra)
            print(v, seed, f"dev {rec['dev']:.4f}", {k: round(rec[k], 4) for k in JIGSAW}, flush=True)
            save('heldout', rec)


if __name__ == '__main__': main()
