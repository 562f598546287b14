"""Peak memory of step 2's data from a folder of .txt files: `python bench/corpus_mem.py` makes `--files` (10,000) files of 1 to 8 Rotten
Tomatoes snippets (as bench/bounded.py does), then, in a process of its own, builds the masked-LM DataLoaders of 1,000 snippets
plus the folder as `fastbert ulmfit --lm-corpus` does, and records that process's peak RSS and seconds in
bench/results/corpus_mem.jsonl. `--code DIR` runs the fastbert of another checkout (an older commit) for comparison."""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, ckpt, save, snippet_files

# builds the DataLoaders the way the command's `_lm_texts` + `fit_lm` do, in whichever fastbert is first on the path
CMD = """import inspect, sys, types, pandas as pd
from fastbert.cli import _lm_texts
from fastbert import *
df,tok = pd.read_csv(sys.argv[1]),load_tok(sys.argv[3])
texts = _lm_texts(types.SimpleNamespace(lm_corpus=sys.argv[2], no_test_lm=True, text_col='text'), None)
if 'corpus' in inspect.signature(BertDataLoaders.from_df).parameters: dls = BertDataLoaders.from_df(df, tok, is_lm=True, sl=64, bs=32, seed=42, valid_pct=0.1, corpus=texts)
else: dls = BertDataLoaders.from_df(pd.DataFrame({'text': df.text.tolist() + list(texts)}), tok, is_lm=True, sl=64, bs=32, seed=42, valid_pct=0.1)
print(len(dls.train_ds), len(dls.valid_ds), next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"""

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--files', type=int, default=10_000, help='.txt files in the corpus (0: none)')
    p.add_argument('--code', default=str(Path(__file__).parent.parent), help='the checkout whose fastbert runs')
    a = p.parse_args()
    rt = pd.read_csv(DATA/'rotten_tomatoes.csv')
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        rt.iloc[:1000].to_csv(d/'train.csv', index=False)
        snippet_files(d/'corpus', rt, a.files, rng)
        commit = subprocess.run(['git', '-C', a.code, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
        t = time.perf_counter()
        out = subprocess.run([sys.executable, '-c', CMD, d/'train.csv', d/'corpus' if a.files else '', ckpt('splade')], capture_output=True, text=True, cwd=a.code,
                             env={**os.environ, 'PYTHONPATH': a.code, 'HF_HUB_OFFLINE': '1'})
        if out.returncode: sys.exit(out.stderr[-2000:])
        trn,val,kb = map(int, out.stdout.split()[-3:])
        rec = dict(run=f'masked-LM data, 1,000 snippets + {a.files:,} .txt files', commit=commit, train_blocks=trn, valid_blocks=val, peak_rss_mb=kb//1024, seconds=round(time.perf_counter()-t, 1))
        print(rec); save('corpus_mem', rec)

if __name__ == '__main__': main()
