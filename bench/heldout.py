"""Held-out quality: train with the recipe (its own 20 % validation split), then score rows that nothing saw before.

Sets (`--data`): jigsaw (train on train_5k, score dev_balanced's 9,719 comments: mean ROC-AUC and per label), rt (Rotten
Tomatoes, the fixed stratified 80/20 split of bench/common.py: 10,246 to train, 2,562 to score), trec (TREC-6, the same split)
and news (20 Newsgroups: 3,000 documents of its training split, sampled with seed 42; scored on its 7,528-document test split);
accuracy on the single-label sets. `python bench/heldout.py --variants old default blend --seeds 42 43 44` appends one JSON line
per run to bench/results/heldout.jsonl: the validation and held-out scores, the blend weight, the thresholds and the seconds.
Nothing is chosen by the held-out score. Step 2's length: `lm0` (no step 2), `default` (1 epoch), `lm5`, `lm20`, `lm-auto`
(until held-out perplexity stops improving); its start (1 epoch): `lm-head` (the MLM head alone first), `lm-reset` (the head drawn anew, then alone), `lm-ww`
(whole-word masking); `+test` adds the held-out texts, unlabelled, to step 2 (ULMFiT's practice; not on
Jigsaw, whose dev_balanced is for evaluation only); `+rest` adds 20 Newsgroups' other 8,293 training documents, unlabelled."""
import argparse, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, JIGSAW, MODELS, SETS, ckpt, load_set, save
from fastbert import *

# name: options of `ulmfit` that differ from its defaults
VARIANTS = {'old': dict(pos_weight=None, thresh=None, baseline=False),  # the defaults before class weights and the baseline
            'default': {}, 'blend': dict(blend=True), 'focal': dict(gamma=2.), 'focal-blend': dict(gamma=2., blend=True),
            'pw-none-blend': dict(pos_weight=None, blend=True), 'lm3': dict(lm_epochs=3), 'lm3-blend': dict(lm_epochs=3, blend=True),
            'pw-full': dict(pos_weight='full'), 'folds5': dict(folds=5), 'focal-folds5-blend': dict(gamma=2., folds=5, blend=True), 'folds5-blend': dict(folds=5, blend=True), 'refit': dict(refit=True), 'refit-blend': dict(refit=True, blend=True),
            'lm0': dict(lm_epochs=0), 'lm5': dict(lm_epochs=5), 'lm20': dict(lm_epochs=20), 'lm-auto': dict(lm_epochs='auto')}  # step 2's length (default: 1 epoch)
VARIANTS |= {'attn0': dict(attn_drop=0.), 'attn-ckpt': dict(attn_drop=None)}  # attention dropout 0 (fused attention on CPUs; the default since December 2026), or the checkpoint's (0.1: the default before)
VARIANTS |= {'lm-head': dict(lm_head='always'), 'lm-reset': dict(lm_head='reset'), 'lm-ww': dict(lm_whole_word=True)}  # step 2's start: the MLM head alone first, drawn anew first; whole-word masking
VARIANTS |= {f'{k}+{x}': {**VARIANTS[k], 'lm_texts': x} for k in ('default', 'lm5', 'lm20', 'lm-auto') for x in ('test', 'rest')}  # step 2 reads more text

def _news()->tuple:
    "20 Newsgroups: 3,000 training documents sampled with seed 42, the other training documents, the test split"
    df = pd.read_csv(DATA/'newsgroups20.csv.gz')
    tr = df[~df.is_test]
    s = tr.sample(3000, random_state=42)
    return s.reset_index(drop=True),tr.drop(s.index).reset_index(drop=True),df[df.is_test].reset_index(drop=True)

def more_texts(name:str, src:str, dev:pd.DataFrame, text:str)->list:
    "Unlabelled texts for step 2: the held-out texts (`src='test'`, never Jigsaw's) or 20 Newsgroups' other training documents (`'rest'`)"
    if src == 'test' and name != 'jigsaw': return dev[text].tolist()
    if src == 'rest' and name == 'news': return _news()[1][text].tolist()
    sys.exit(f"--variants: no {src!r} texts for {name}" + (": dev_balanced is for evaluation only" if name == 'jigsaw' else ''))

def heldout_set(name:str)->tuple:
    "Training rows, held-out rows, text column, label column(s) of set `name` ('news-full': all of 20 Newsgroups' training documents)"
    if name == 'jigsaw': return pd.read_csv(DATA/'jigsaw'/'train_5k.csv'),pd.read_csv(DATA/'jigsaw'/'dev_balanced.csv.gz'),'comment_text',JIGSAW
    if name.startswith('news'): s,rest,te = _news(); return (pd.concat([s, rest], ignore_index=True) if name == 'news-full' else s),te,'text','label'
    df,text,label,_ = load_set(name)
    return df[~df.is_valid].drop(columns='is_valid').reset_index(drop=True),df[df.is_valid].drop(columns='is_valid').reset_index(drop=True),text,label

def _stage(r, stage)->float|None:
    "Validation accuracy of `stage` ('tfidf', 'blend') in a single-label report, if it has one"
    t = r.table[r.table.stage == stage]
    return float(t.accuracy.iloc[-1]) if len(t) and 'accuracy' in t else None

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default='jigsaw', choices=['jigsaw', 'rt', 'trec', 'news'])
    p.add_argument('--variants', nargs='+', default=['old', 'default', 'blend'], choices=['tfidf', *VARIANTS])
    p.add_argument('--seeds', type=int, nargs='+', default=[42, 43, 44])
    p.add_argument('--model', default='splade', choices=list(MODELS), help='checkpoint')
    a = p.parse_args()
    tr,dev,text,label = heldout_set(a.data)
    multi = a.data == 'jigsaw'
    if multi:
        pos,n = tr[JIGSAW].sum().values,len(tr)
        VARIANTS['pw-full'] = dict(pos_weight=list(np.minimum((n-pos)/pos, 100.)))  # the untempered ratio, capped at 100
    classes = sorted(tr[label].astype(str).unique()) if not multi else None
    def score(p): return float(roc_auc_table(p, dev[JIGSAW].values, JIGSAW).mean()) if multi else float((np.array(classes)[p.argmax(1)] == dev[label].astype(str).values).mean())
    for v in a.variants:
        for seed in ([None] if v == 'tfidf' else a.seeds):
            t = time.perf_counter()
            if v == 'tfidf':
                y = tr[label].values if multi else tr[label].astype(str).map(classes.index).values
                pd_,extra = TfidfBaseline('multi' if multi else 'single').fit(tr[text], y).predict(dev[text]),dict(rows=len(tr))
            else:
                with tempfile.TemporaryDirectory() as d:
                    kw = VARIANTS[v]
                    if 'lm_texts' in kw: kw = {**kw, 'lm_texts': more_texts(a.data, kw['lm_texts'], dev, text)}
                    clas,r = ulmfit(tr, text, label, ckpt(a.model), seed=seed, path=d, **kw)
                    clas.recorder.silent = True
                    b,clas.blend = clas.blend,None
                    with clas.no_bar(): alone = clas.predict_texts(dev[text])
                    cols,ns = (JIGSAW if multi else classes),label_names(clas.dls)
                    pd_ = alone[cols].values if b is None else pd.DataFrame(b(dev[text], alone[ns].values), columns=ns)[cols].values
                    alone,clas.blend = alone[cols].values,b
                val = r.labels.roc_auc.to_dict() if multi else float(r.table[r.table.stage == 'all'].accuracy.iloc[-1])
                extra = dict(blend_w=clas.blend and clas.blend.w, thresh=getattr(clas.loss_func, 'thresh', None), valid=val,
                             valid_tfidf=r.labels.tfidf.to_dict() if multi and 'tfidf' in r.labels else _stage(r, 'tfidf baseline'),
                             valid_blend=_stage(r, 'blend'), alone=score(alone) if clas.blend else None,
                             lm=r.table[r.table.step == 'lm'].filter(['stage', 'epochs', 'perplexity', 'seconds']).to_dict('records'))
            if multi:
                dev_auc = roc_auc_table(pd_, dev[JIGSAW].values, JIGSAW)
                res = dict(dev=float(dev_auc.mean()), **dev_auc.to_dict())
            else: res = dict(dev=score(pd_))
            rec = dict(data=a.data, variant=v, seed=seed, model=a.model, **res, seconds=round(time.perf_counter()-t, 1), **extra)
            print(a.data, v, seed, f"held out {rec['dev']:.4f}", {k: round(rec[k], 4) for k in JIGSAW} if multi else '', f"{rec['seconds']:.0f} s", flush=True)
            save('heldout', rec)


if __name__ == '__main__': main()
