"""Peak memory of `fastbert ulmfit` with its defaults (all-MiniLM-L6-v2), phase by phase: each step's training epochs and validations.

The Jigsaw comments of train_5k (`--rows`, with `--test-rows` more as the unlabelled `--test` texts that step 2 reads too; `--test-from
newsgroups` takes those from the 20 Newsgroups test split instead, longer texts, so that all 5,000 comments can train) go through the
command in this process; a fastai callback reads the peak RSS (VmHWM) at each event and resets it (/proc/self/clear_refs), so each line is the
peak of the phase that ended there. `--attn-drop checkpoint` trains with the checkpoint's attention dropout (0.1: the default before December
2026), `--no-trim` without `trim_heap` after each fit (as before), `--exact` with batches padded to their longest text rather than to 8 widths (as before). `python bench/memory.py --rows 1000 --test-rows 240 [...]` appends one JSON
line to bench/results/memory.jsonl: the settings, the overall peak and the peak of each phase."""
import argparse, sys, tempfile, time
from pathlib import Path
import pandas as pd
from common import DATA, JIGSAW, save

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--rows', type=int, default=1000); p.add_argument('--test-rows', type=int, default=240)
    p.add_argument('--test-from', choices=['jigsaw', 'newsgroups'], default='jigsaw', help="where the unlabelled test texts come from")
    p.add_argument('--attn-drop', default='0'); p.add_argument('--no-trim', action='store_true')
    p.add_argument('--exact', action='store_true', help="pad batches to their longest text (a multiple of 8 in bf16), not to 8 buckets (before December 2026)")
    a = p.parse_args()
    import fastbert.learner
    from fastai.learner import Callback, defaults
    if a.no_trim: fastbert.learner.trim_heap = lambda: False
    if a.exact: fastbert.data.PadRight.widths = None # buckets='auto' falls back to the exact width
    kb = lambda k: int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith(k)))//1024
    t0,phases = time.perf_counter(),[]
    def ev(name):
        phases.append(dict(phase=name, seconds=round(time.perf_counter()-t0), rss_mb=kb('VmRSS:'), peak_mb=kb('VmHWM:')))
        print(phases[-1], flush=True)
        open('/proc/self/clear_refs', 'w').write('5')
    class MemLog(Callback):
        order = 100
        def before_fit(self): ev(f'before {type(self.learn.model).__name__} fit ({len(self.dls.train.dataset)} train, {len(self.dls.valid.dataset)} valid)')
        def before_validate(self): ev(f'train epoch {self.epoch}')
        def after_validate(self): ev('validate')
    defaults.callbacks = list(defaults.callbacks) + [MemLog]
    from fastbert.cli import cli_main
    df = pd.read_csv(DATA/'jigsaw'/'train_5k.csv')
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        df[:a.rows].to_csv(d/'train.csv', index=False)
        if a.test_from == 'jigsaw': te = df[a.rows:a.rows+a.test_rows][['id', 'comment_text']]
        else:
            ng = pd.read_csv(DATA/'newsgroups20.csv.gz'); ng = ng[ng.is_test][:a.test_rows]
            te = pd.DataFrame(dict(id=range(len(ng)), comment_text=ng.text.values))
        if len(te) < a.test_rows: sys.exit(f"--test-from {a.test_from} has only {len(te)} texts for --test-rows {a.test_rows}")
        te.to_csv(d/'test.csv', index=False)
        ev('start')
        cli_main(['ulmfit', str(d/'train.csv'), '--text-col', 'comment_text', '--label-col', *JIGSAW, '--test', str(d/'test.csv'),
                  '--attn-drop', a.attn_drop, '--out', str(d/'o'), '--quiet'])
        ev('end')
    rec = dict(rows=a.rows, test_rows=a.test_rows, test_from=a.test_from, attn_drop=a.attn_drop, trim=not a.no_trim, buckets=not a.exact, peak_mb=max(o['peak_mb'] for o in phases),
               seconds=phases[-1]['seconds'], phases=phases)
    print({k: v for k,v in rec.items() if k != 'phases'}); save('memory', rec)

if __name__ == '__main__': main()
