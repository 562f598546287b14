"""Long documents: truncation against windows, classifier step only (`fit_classifier`), scored on documents nothing saw.

Sets (`--data`): news (20 Newsgroups: the 3,000 training documents of bench/heldout.py, scored on the 7,528 of its by-date
test split), news-full (all its 11,293 training documents, the same test split) and rt (Rotten Tomatoes, the split of
bench/heldout.py: short texts, to show windows leave them alone).
`python bench/long.py --variants head256 w256-mean --seeds 42 43 44` appends per run one JSON line to bench/results/long.jsonl:
accuracy and macro F1 of the transformer alone on the held-out documents (and `blend`, the accuracy of its default blend
with TF-IDF, which reads every token whatever the truncation), seconds per epoch of the unfrozen stage, the windows per document, and the
process's peak RSS during the run (VmHWM, reset before each run), and accuracy on the held-out documents of more than
512 tokens (`acc_long`, `n_long`): the only ones that windows of 512 read differently from truncation at 512."""
import argparse, sys, tempfile, time
from pathlib import Path
import numpy as np
from sklearn.metrics import f1_score
sys.path.insert(0, str(Path(__file__).parent))
from common import MODELS, ckpt, hwm_mb, save
from heldout import heldout_set
from fastbert import *
from fastbert.learner import dls_tfm

# name: text options of `fit_classifier`; at 128 tokens, 8 windows cover what 4 of 256 do
VARIANTS = {'head256': dict(max_len=256), 'head512': dict(max_len=512), 'headtail512': dict(max_len=512, trunc='head+tail'),
            'w128-mean': dict(max_len=128, trunc='windows', max_windows=8), 'w128-max': dict(max_len=128, trunc='windows', max_windows=8, win_pool='max'),
            'w128-attn': dict(max_len=128, trunc='windows', max_windows=8, win_pool='attn'), 'w256-mean': dict(max_len=256, trunc='windows'),
            'w256-max': dict(max_len=256, trunc='windows', win_pool='max'), 'w256-attn': dict(max_len=256, trunc='windows', win_pool='attn'),
            'w256-wmean': dict(max_len=256, trunc='windows', win_pool='wmean'), 'w512-mean': dict(max_len=512, trunc='windows'),
            'w512-wmean': dict(max_len=512, trunc='windows', win_pool='wmean'), 'w512-attn': dict(max_len=512, trunc='windows', win_pool='attn')}
LONG = 512 # documents of more tokens than this (special tokens included) are the ones every truncation above cuts

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', default='news', choices=['news', 'news-full', 'rt'])
    p.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument('--seeds', type=int, nargs='+', default=[42, 43, 44])
    p.add_argument('--model', default='splade', choices=list(MODELS), help='checkpoint')
    p.add_argument('--rows', type=int, default=None, help='only this many training and held-out documents (a quick check)')
    a = p.parse_args()
    tr,dev,text,label = heldout_set(a.data)
    if a.rows: tr,dev = tr[:a.rows],dev.sample(a.rows, random_state=0)
    y = dev[label].astype(str).values
    for v in a.variants:
        for seed in a.seeds:
            t,_ = time.perf_counter(),hwm_mb(reset=True)
            with tempfile.TemporaryDirectory() as d:
                clas,r = fit_classifier(tr, text, label, ckpt(a.model), seed=seed, path=d, **VARIANTS[v])
                clas.recorder.silent = True
                b,clas.blend = clas.blend,None # the transformer alone: how it reads the documents
                ns = np.array(label_names(clas.dls))
                with clas.no_bar(): pa = clas.predict_texts(dev[text])[ns].values
                pr,pb = ns[pa.argmax(1)],b and ns[b(dev[text], pa).argmax(1)]
            tf,row = dls_tfm(clas.dls),r.table[r.table.stage == 'all'].iloc[-1]
            n = [len(o) for o in tf.ids(dev[text])] # content tokens of each held-out document
            lg = np.array(n) + len(tf.pre) + len(tf.post) > LONG
            wins = [sum(s is not None for s in tf.starts(k)) for k in n] if tf.trunc == 'windows' else None
            rec = dict(data=a.data, variant=v, seed=seed, model=a.model, accuracy=float((pr == y).mean()), macro_f1=float(f1_score(y, pr, average='macro')),
                       acc_long=float((pr == y)[lg].mean()) if lg.any() else None, n_long=int(lg.sum()),
                       blend=float((pb == y).mean()) if b else None, blend_w=b and b.w,
                       valid=float(row.accuracy), s_epoch=round(float(row.seconds)/int(row.epochs), 1), seconds=round(time.perf_counter()-t, 1),
                       windows_mean=wins and float(np.mean(wins)), windows_max=wins and int(np.max(wins)),
                       peak_rss_mb=round(hwm_mb()))
            print(a.data, v, seed, f"accuracy {rec['accuracy']:.4f}  macro F1 {rec['macro_f1']:.4f}  over {LONG} tokens {rec['acc_long']}  blend {rec['blend']}  {rec['s_epoch']} s/epoch  {rec['seconds']:.0f} s", flush=True)
            if not a.rows: save('long', rec)


if __name__ == '__main__': main()
