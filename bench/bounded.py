"""Bounded memory: the peak RSS of `fastbert` commands on inputs far larger than usual, each in a process of its own.

- `doc`: a SPLADE-tiny classifier reading windows (`--trunc windows`, 4 windows of 256 tokens at most), trained briefly on
  1,000 Rotten Tomatoes snippets, predicts a CSV of 10 short snippets, then one of a single 20,000-word document.
- `corpus`: `fastbert ulmfit` (SPLADE-tiny, 1,000 snippets, one epoch per stage) without, then with `--lm-corpus`, a
  folder of 10,000 generated .txt files (1 to 8 snippets each).
`python bench/bounded.py` appends one JSON line per command to bench/results/bounded.jsonl."""
import os, subprocess, sys, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from common import DATA, save

# the `fastbert` command in a process that prints its own peak RSS (KB) last
CMD = "import resource, sys\nfrom fastbert.cli import cli_main\ntry: cli_main(sys.argv[1:])\nfinally: print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"

def run(name:str, *args)->dict:
    "Run `fastbert args` in a process of its own: its peak RSS (MB) and seconds"
    t = time.perf_counter()
    r = subprocess.run([sys.executable, '-c', CMD, *map(str, args)], capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    if r.returncode: sys.exit(f"{name} failed:\n{r.stderr[-3000:]}")
    rec = dict(run=name, peak_rss_mb=round(int(r.stdout.split()[-1])/1024), seconds=round(time.perf_counter()-t, 1))
    print(rec, flush=True)
    return rec

def main():
    rt = pd.read_csv(DATA/'rotten_tomatoes.csv').sample(frac=1, random_state=0).reset_index(drop=True)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        rt[:1000].to_csv(d/'train.csv', index=False)
        rt[1000:1010].to_csv(d/'short.csv', index=False)
        words = ' '.join(rt.text[1010:]).split()
        pd.DataFrame({'text': [' '.join(words[:20_000])]}).to_csv(d/'long.csv', index=False)
        (d/'corpus').mkdir()
        for i in range(10_000): (d/'corpus'/f'{i}.txt').write_text(' '.join(rt.text.iloc[rng.integers(1010, len(rt), rng.integers(1, 9))]))
        common = ['--label-col', 'category', '--model', 'splade-tiny', '--stages', 0, '--epochs', 1, 1]
        recs = [run('train windows', 'train', d/'train.csv', *common, '--trunc', 'windows', '--out', d/'w'),
                run('predict 10 snippets', 'predict', d/'w'/'model', d/'short.csv', '--out', d/'p1.csv'),
                run('predict one 20,000-word document', 'predict', d/'w'/'model', d/'long.csv', '--out', d/'p2.csv'),
                run('ulmfit', 'ulmfit', d/'train.csv', *common, '--sl', 64, '--out', d/'u1'),
                run('ulmfit --lm-corpus 10,000 .txt files', 'ulmfit', d/'train.csv', *common, '--sl', 64, '--lm-corpus', d/'corpus', '--out', d/'u2')]
    for r in recs: save('bounded', r)


if __name__ == '__main__': main()
