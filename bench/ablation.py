"""The ULMFiT ablation in miniature: plain fine-tuning, discriminative rates, gradual unfreezing and within-task pretraining (ITPT),
against the HuggingFace Trainer with a learning-rate sweep and TF-IDF + logistic regression, on one data set and checkpoint.

Usage: python bench/ablation.py --data rt|trec|jigsaw [--model splade|minilm] [--seeds 42 43 44] [--variants ...] [--rows N] [--valid-rows N]
Every run uses the fixed split of bench/common.py (80/20, seed 42; `--rows` keeps the first N training rows, `--valid-rows` the
first N validation rows) and is scored on the validation rows: accuracy, or mean ROC-AUC with each label's. Step 2 (ITPT) reads the
training texts only. Each run appends one JSON line to bench/results/ablation.jsonl, with its wall time and the validation metric
after every epoch (for time to quality; where the recipe blends with TF-IDF, the blend's score comes last, its weight chosen on one half of the
validation rows and scored on the other, and back); bench/report.py turns them into the tables and plots of bench/README.md."""
import argparse, ast, inspect, tempfile, time
import numpy as np, pandas as pd, torch
from fastai.basics import Callback, defaults, noop
from fastai.callback.progress import ProgressCallback
from fastbert import Blend, dl_texts, fit_lm, fit_classifier, gradual_unfreeze
from common import *

# variant: step 2 first?, stages, epochs (head-only first), decay, pooling
V = {'fit':      (False, (0,), (0, 5), 1., 'pooler'),
     'fit-disc': (False, (0,), (0, 5), 1/2.6, 'pooler'),
     'gu':       (False, (2, 3, 0), (1, 1, 1, 2), 1/2.6, 'pooler'),
     'itpt-fit': (True, (0,), (0, 5), 1., 'pooler'),
     'itpt-gu':  (True, (2, 3, 0), (1, 1, 1, 2), 1/2.6, 'pooler'),   # fastbert's default recipe (`ulmfit`)
     'hfit':     (False, (0,), (1, 4), 1/2.6, 'pooler'),               # head alone for an epoch, then every layer
     'itpt-hfit': (True, (0,), (1, 4), 1/2.6, 'pooler'),
     'hfit-u':   (False, (0,), (1, 4), 1., 'pooler'),                  # the same at one learning rate
     'itpt-gu-cls': (True, (2, 3, 0), (1, 1, 1, 2), 1/2.6, 'cls'),
     'itpt-gu-mean': (True, (2, 3, 0), (1, 1, 1, 2), 1/2.6, 'mean'),
     'itpt-gu-concat': (True, (2, 3, 0), (1, 1, 1, 2), 1/2.6, 'concat')}

class Curve(Callback):
    "The main validation metric after every epoch, with the seconds since the run began"
    order = 60
    t0,points,metric = 0.,[],None
    def before_fit(self): self.learn.logger = noop
    def after_epoch(self):
        "(`get_preds` ends with an epoch event too: its record has no training loss)"
        r = self.learn.recorder
        if Curve.metric in r.metric_names and len(r.values[-1]) == len(r.metric_names)-2: Curve.points.append((time.perf_counter()-Curve.t0, float(r.values[-1][r.metric_names.index(Curve.metric)-1])))

def _dflt(f, k): return inspect.signature(f).parameters[k].default

def fastbert_run(a, df, text, label, metric, variant, seed, tmp, lm_cache):
    "One fastbert run of `variant` ('default': `ulmfit`'s defaults, read from the recipe functions); step 2 runs once per seed, shared by the variants that use it"
    if variant == 'default': itpt,stages,epochs,decay,pool,lr = True,*(_dflt(gradual_unfreeze, k) for k in ('stages', 'epochs', 'decay')),_dflt(fit_classifier, 'pool'),None
    else: (itpt,stages,epochs,decay,pool),lr = V[variant],a.lr
    Curve.points,Curve.metric = [],metric
    enc,lm_secs = None,0.
    if itpt:
        if seed not in lm_cache:
            t = time.perf_counter()
            lm,rep = fit_lm(df[~df.is_valid][[text]].rename(columns={text: 'text'}), pretrained=ckpt(a.model), enc=tmp/f'enc{seed}.pth', seed=seed,
                            path=tmp, lr=a.lm_lr)
            ppl = rep.table.perplexity.tolist()
            lm_cache[seed] = (tmp/f'enc{seed}.pth', time.perf_counter()-t, ppl[0], ppl[-1])
        enc,lm_secs,*ppl = lm_cache[seed]
    Curve.t0 = time.perf_counter()-lm_secs  # step 2's seconds count once, whether it ran now or for an earlier variant of this seed
    clas,rep = fit_classifier(df, text, label, ckpt(a.model), enc=enc, valid_col='is_valid', max_len=a.max_len, bs=a.bs, pool=pool, seed=seed,
                              path=tmp, stages=stages, epochs=epochs, decay=decay, lr=lr, head_lr=a.head_lr, **a.clas_kw)
    res = dict(metric=float(rep.table[rep.table.stage != 'tfidf baseline'][metric].iloc[-1]), seconds=time.perf_counter()-Curve.t0, curve=Curve.points, lm_seconds=lm_secs,
               precision=clas.precision)
    if clas.blend is not None: res.update(crossfit(clas, metric, seed), blend_w=clas.blend.w, blend_same_rows=res['metric'])
    if itpt: res.update(ppl_before=ppl[0], ppl_after=ppl[1])
    if metric == 'roc_auc': res.update(clas.roc_auc().roc_auc.drop('mean').to_dict())
    return res

def crossfit(clas, metric, seed)->dict:
    "The blend scored without choosing its weight on the rows it is scored on: weights from one half of the validation rows score the other half, and back"
    b,clas.blend = clas.blend,None
    (p,t),pb = clas.probs(),b.base.predict(dl_texts(clas.dls.valid))
    clas.blend = b
    half = np.random.default_rng(seed).permutation(len(t)) < len(t)//2
    s = [score(metric, Blend.fit(b.base, p[~h], pb[~h], t[~h]).mix(p[h], pb[h]), t[h])[metric] for h in (half, ~half)]
    Curve.points.append((time.perf_counter()-Curve.t0, float(np.mean(s))))
    return dict(metric=float(np.mean(s)), alone=score(metric, p, t)[metric], seconds=Curve.points[-1][0])

def tfidf_run(df, text, label, metric):
    "TF-IDF of word 1-2-grams and char 2-5-grams, then logistic regression (one per label for multi-label)"
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union
    t = time.perf_counter()
    vec = make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                     TfidfVectorizer(analyzer='char_wb', ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=200_000))
    tr,va = df[~df.is_valid],df[df.is_valid]
    xt,xv = vec.fit_transform(tr[text]),vec.transform(va[text])
    if metric == 'roc_auc':
        probs = np.stack([LogisticRegression(C=4, max_iter=2000).fit(xt, tr[k]).predict_proba(xv)[:,1] for k in label], 1)
        return dict(score(metric, probs, va[label].values), seconds=time.perf_counter()-t)
    lr = LogisticRegression(C=4, max_iter=2000).fit(xt, tr[label])
    return dict(score(metric, lr.predict_proba(xv), va[label].map({c:i for i,c in enumerate(lr.classes_)}).values), seconds=time.perf_counter()-t)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default='rt', choices=list(SETS)); p.add_argument('--model', default='splade', choices=list(MODELS))
    p.add_argument('--seeds', type=int, nargs='+', default=[42, 43, 44])
    p.add_argument('--variants', nargs='+', default=['tfidf', 'fit', 'fit-disc', 'gu', 'itpt-fit', 'itpt-gu'],
                   help=f"any of tfidf, default, {', '.join(V)}, hf-LR (the HF Trainer at learning rate LR, e.g. hf-3e-4)")
    p.add_argument('--rows', type=int, default=None); p.add_argument('--valid-rows', type=int, default=None)
    p.add_argument('--max-len', type=int, default=128); p.add_argument('--bs', type=int, default=32)
    p.add_argument('--lr', type=float, default=1e-3, help="fastbert's top learning rate after the head-only stage (not for 'default')")
    p.add_argument('--head-lr', type=float, default=1e-2); p.add_argument('--lm-lr', type=float, default=1e-3)
    p.add_argument('--hf-epochs', type=int, default=5, help='epochs of the HF Trainer (fastbert trains 5 in every variant)')
    p.add_argument('--set', nargs='+', default=[], metavar='K=V', help="options of `fit_classifier` for the fastbert variants, e.g. gamma=0 (a Python literal); the variant's name records them")
    a = p.parse_args()
    a.clas_kw = {k: ast.literal_eval(v) for k,v in (o.split('=', 1) for o in a.set)}
    df,text,label,metric = load_set(a.data, a.rows, a.valid_rows)
    defaults.callbacks = [c for c in defaults.callbacks if c is not ProgressCallback] + [Curve]
    lm_cache = {}
    print(f"{a.data} ({(~df.is_valid).sum()} training / {df.is_valid.sum()} validation rows), {a.model}, max_len {a.max_len}, {torch.get_num_threads()} threads", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for v in a.variants:
            for seed in ([None] if v == 'tfidf' else a.seeds):
                if v == 'tfidf': r = tfidf_run(df, text, label, metric)
                elif v.startswith('hf-'):
                    r = hf_trainer(df, text, label, metric, a.model, float(v[3:]), a.hf_epochs, a.bs, a.max_len, seed=seed)
                    r = {k: r[k] for k in ['metric', 'seconds', 'curve', *(JIGSAW if metric == 'roc_auc' else [])]}
                    r['seconds'] = r['curve'][-1][0]
                else: r = fastbert_run(a, df, text, label, metric, v, seed, Path(tmp), lm_cache)
                r.setdefault('metric', r.get(metric))
                name = f'{v}@{a.lr:g}' if v in V and a.lr != 1e-3 else v   # 'default' takes the recipe's rates
                if a.set and v != 'tfidf' and not v.startswith('hf-'): name += f"[{','.join(a.set)}]"
                print(f"  {name:15} seed {seed}: {metric} {r['metric']:.4f}  ({r['seconds']:.0f} s)", flush=True)
                save('ablation', dict(data=a.data, model=a.model, variant=name, seed=seed, rows=a.rows, valid_rows=a.valid_rows, max_len=a.max_len,
                                      lr=float(v[3:]) if v.startswith('hf-') else a.lr, time=time.strftime('%Y-%m-%d %H:%M'), **r))

if __name__ == '__main__': main()
