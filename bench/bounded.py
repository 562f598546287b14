"""Bounded memory: the peak RSS of `fastbert` commands on inputs far larger than usual, each in a process of its own.

- `doc`: a SPLADE-tiny classifier reading windows (`--trunc windows`, 4 windows of 256 tokens at most), trained briefly on
  1,000 Rotten Tomatoes snippets, predicts a CSV of 10 short snippets, then one of a single 20,000-word document.
- `corpus`: `fastbert ulmfit` (SPLADE-tiny, 1,000 snippets, one epoch per stage) without, then with `--lm-corpus`, a
  folder of 10,000 generated .txt files (1 to 8 snippets each).
- `rows`: a SPLADE-tiny classifier (1,000 snippets, one epoch per stage) predicts a CSV of 10,000 short comments, then one
  of `--rows` (default 1,000,000), made of Rotten Tomatoes snippets with an id; the output's ids are checked to be in order.
`python bench/bounded.py [--runs doc corpus rows]` appends one JSON line per command to bench/results/bounded.jsonl."""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, save, snippet_files

# the `fastbert` command in a process that prints its own peak RSS (KB) last
# (VmHWM: this process's own peak; ru_maxrss would carry over the parent's peak at fork)
CMD = "import sys\nfrom fastbert.cli import cli_main\ntry: cli_main(sys.argv[1:])\nfinally: print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"

def run(name:str, *args)->dict:
    "Run `fastbert args` in a process of its own: its peak RSS (MB) and seconds"
    t = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', CMD, *map(str, args)], capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    if r.returncode: sys.exit(f"{name} failed:\n{r.stderr[-3000:]}")
    rec = dict(run=name, peak_rss_mb=round(int(r.stdout.split()[-1])/1024), seconds=round(time.perf_counter()-t, 1))
    print(rec, flush=True)
    return rec

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--runs', nargs='+', default=['doc', 'corpus', 'rows'], choices=['doc', 'corpus', 'rows'])
    p.add_argument('--rows', type=int, default=1_000_000, help='rows of the large CSV of the rows run')
    a = p.parse_args()
    rt = pd.read_csv(DATA/'rotten_tomatoes.csv').sample(frac=1, random_state=0).reset_index(drop=True)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        rt[:1000].to_csv(d/'train.csv', index=False)
        rt[1000:1010].to_csv(d/'short.csv', index=False)
        words = ' '.join(rt.text[1010:]).split()
        pd.DataFrame({'text': [' '.join(words[:20_000])]}).to_csv(d/'long.csv', index=False)
        common,recs = ['--label-col', 'category', '--model', 'splade-tiny', '--stages', 0, '--epochs', 1, 1],[]
        if 'doc' in a.runs:
            recs += [run('train windows', 'train', d/'train.csv', *common, '--trunc', 'windows', '--out', d/'w'),
                     run('predict 10 snippets', 'predict', d/'w'/'model', d/'short.csv', '--out', d/'p1.csv'),
                     run('predict one 20,000-word document', 'predict', d/'w'/'model', d/'long.csv', '--out', d/'p2.csv')]
        if 'corpus' in a.runs:
            snippet_files(d/'corpus', rt, 10_000, rng)
            recs += [run('ulmfit', 'ulmfit', d/'train.csv', *common, '--sl', 64, '--out', d/'u1'),
                     run('ulmfit --lm-corpus 10,000 .txt files', 'ulmfit', d/'train.csv', *common, '--sl', 64, '--lm-corpus', d/'corpus', '--out', d/'u2')]
        if 'rows' in a.runs:
            recs.append(run('train', 'train', d/'train.csv', *common, '--out', d/'m'))
            for n in (10_000, a.rows):
                pd.DataFrame({'id': np.arange(n), 'text': rt.text.values[np.arange(n) % len(rt)]}).to_csv(d/'rows.csv', index=False)
                recs.append(dict(run(f'predict {n:,} short texts', 'predict', d/'m'/'model', d/'rows.csv', '--out', d/'pr.csv'), rows=n))
                ids = pd.read_csv(d/'pr.csv', usecols=['id']).id.values
                assert (ids == np.arange(n)).all(), 'rows out of order'
                recs[-1]['ex_s'] = round(n/recs[-1]['seconds'], 1)
    for r in recs: save('bounded', r)


if __name__ == '__main__': main()
