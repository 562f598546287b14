"""Prediction speed, size and quality on the CPU: the HF pipeline against fastbert in fp32, bf16, int8 and through ONNX Runtime.

A classifier is trained on Jigsaw's train_5k (`fit_classifier`, one epoch per stage, `--model splade|minilm`) and saved;
`fastbert quantize` and `fastbert export` make its int8 folder and ONNX file. Each contender then predicts the same 10,000
comments (dev_balanced's 9,719 and the first 281 of train_5k) in a process of its own, with the same weights and 256 tokens
at most per text:
- `hf-pipe`: `pipeline('text-classification', top_k=None, function_to_apply='sigmoid')` with its default batch size (1);
- `hf-pipe-bs32`: the same with `batch_size=32`;
- `fastbert-fp32`, `fastbert-bf16`, `fastbert-int8`, `fastbert-onnx`: `predict_csv` (what `fastbert predict` runs), batch 64.
Recorded per contender: examples per second of the prediction (loading excluded), the process's peak RSS, the size on disk
of the weights, and the mean ROC-AUC over dev_balanced's rows. `python bench/infer.py --model splade` appends one JSON line
per contender to bench/results/infer.jsonl; `--rows N` predicts N comments only (a quick check)."""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, JIGSAW, ckpt, hwm_mb, save

CONTENDERS = ['hf-pipe', 'hf-pipe-bs32', 'fastbert-fp32', 'fastbert-bf16', 'fastbert-int8', 'fastbert-onnx']

def child(name:str, d:Path)->dict:
    "Predict d/texts.csv with contender `name` in this process: probabilities to d/`name`.npy; seconds of prediction"
    import torch
    df = pd.read_csv(d/'texts.csv')
    if name.startswith('hf-pipe'):
        from transformers import pipeline
        pipe = pipeline('text-classification', model=str(d/'model'), top_k=None, function_to_apply='sigmoid', device='cpu')
        kw = dict(batch_size=32) if name.endswith('bs32') else {}
        t = time.perf_counter()
        out = pipe(df.comment_text.tolist(), truncation=True, max_length=256, **kw)
        secs = time.perf_counter()-t
        p = np.array([[{o['label']: o['score'] for o in r}[k] for k in JIGSAW] for r in out])
    else:
        from fastbert import load_pretrained_learner, onnx_learner, set_precision, predict_csv
        kind = name.split('-')[1]
        learn = (onnx_learner(d/'model', d/'model.onnx') if kind == 'onnx' else load_pretrained_learner(d/('int8' if kind == 'int8' else 'model')))
        if kind in ('fp32', 'bf16'): set_precision(learn, kind)
        t = time.perf_counter()
        predict_csv(learn, d/'texts.csv', d/f'{name}.csv', 'comment_text', bs=64, progress=False)
        secs = time.perf_counter()-t
        p = pd.read_csv(d/f'{name}.csv')[JIGSAW].values
    np.save(d/f'{name}.npy', p)
    return dict(seconds=secs, peak_rss_mb=hwm_mb(), threads=torch.get_num_threads()) # VmHWM: this process's own peak (ru_maxrss carries the parent's over fork)

def size_mb(*fs)->float: return sum(f.stat().st_size for f in fs)/2**20

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='splade', choices=['splade', 'minilm'])
    p.add_argument('--rows', type=int, default=10_000, help='comments to predict')
    p.add_argument('--contenders', nargs='+', default=CONTENDERS, choices=CONTENDERS)
    p.add_argument('--child', default=None, help=argparse.SUPPRESS); p.add_argument('--dir', default=None, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child: return print(json.dumps(child(a.child, Path(a.dir))))
    from fastbert import fit_classifier
    from fastbert.cli import cli_main
    from sklearn.metrics import roc_auc_score
    tr,dev = pd.read_csv(DATA/'jigsaw'/'train_5k.csv'),pd.read_csv(DATA/'jigsaw'/'dev_balanced.csv.gz')
    texts = pd.concat([dev, tr[:max(a.rows-len(dev), 0)]], ignore_index=True)[:a.rows]
    n_dev = min(len(dev), a.rows)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        texts[['id', 'comment_text']].to_csv(d/'texts.csv', index=False)
        t = time.perf_counter()
        clas,_ = fit_classifier(tr, 'comment_text', JIGSAW, ckpt(a.model), epochs=1, baseline=False, thresh=None, path=d)
        clas.save_pretrained(d/'model', text_col='comment_text', label_col=JIGSAW)
        print(f"trained in {time.perf_counter()-t:.0f} s", flush=True)
        for args in (['quantize', d/'model', d/'int8'], ['export', d/'model', d/'model.onnx']): cli_main(list(map(str, args)))
        sizes = {'fp32': size_mb(*(d/'model').glob('*.safetensors')), 'int8': size_mb(d/'int8'/'int8.pt'), 'onnx': size_mb(d/'model.onnx')}
        for c in a.contenders:
            r = subprocess.run([sys.executable, __file__, '--child', c, '--dir', str(d)], capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
            if r.returncode: sys.exit(f"{c} failed:\n{r.stderr[-3000:]}")
            res = json.loads(r.stdout.strip().splitlines()[-1])
            pr = np.load(d/f'{c}.npy')[:n_dev]
            auc = float(np.mean([roc_auc_score(dev[k].values[:n_dev], pr[:, i]) for i,k in enumerate(JIGSAW)]))
            kind = c.split('-')[-1]
            rec = dict(model=a.model, contender=c, rows=a.rows, ex_s=round(a.rows/res['seconds'], 1), seconds=round(res['seconds'], 1),
                       peak_rss_mb=round(res['peak_rss_mb']), weights_mb=round(sizes.get(kind, sizes['fp32']), 1), roc_auc=auc, threads=res['threads'])
            print(rec, flush=True)
            save('infer', rec)

if __name__ == '__main__': main()
