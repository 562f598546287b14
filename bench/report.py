"""Tables (markdown, printed) and plots (bench/img/*.png) from bench/results/speed.jsonl, ablation.jsonl, heldout.jsonl, long.jsonl and bounded.jsonl.

Usage: python bench/report.py    (after `make bench-speed` and `make bench-ablation`)"""
import numpy as np, pandas as pd, scipy.stats
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from common import *

IMG = Path(__file__).resolve().parent/'img'
NAMES = {'rt': 'Rotten Tomatoes', 'trec': 'TREC-6', 'jigsaw': 'Jigsaw train_5k', 'splade': 'SPLADE-tiny', 'minilm': 'all-MiniLM-L6-v2'}
def md(t:pd.DataFrame)->str:
    "`t` as a markdown table"
    f = lambda o: f'{o:.4g}' if isinstance(o, float) else str(o)
    return '\n'.join(['| ' + ' | '.join(map(str, t.columns)) + ' |', '|' + '---|'*len(t.columns)] + ['| ' + ' | '.join(map(f, r)) + ' |' for r in t.itertuples(index=False)])

def speed():
    raw,keys = load('speed'),['model', 'data', 'max_len', 'rows', 'runner']
    raw['rows'] = raw.rows.fillna(0).astype(int)  # 0: every training row
    nums = ['ex_s', 'pad_eff', 'rss_mb', 'tflop_s', 'util', 'peak_fp32', 'peak_bf16', 'examples']
    d = raw.groupby(keys, sort=False).agg({**{c: 'median' for c in nums}, 'precision': 'first', 'rep': 'count'}).reset_index()
    for (m,data,n,_),g in d.groupby(['model', 'data', 'max_len', 'rows'], sort=False):
        g = g.set_index('runner')
        t = pd.DataFrame({'examples/s': g.ex_s.round(1), 'x HF default': (g.ex_s/g.ex_s['hf']).round(2),
                          'x HF grouped': (g.ex_s/g.ex_s['hf-grouped']).round(2), 'padding eff.': g.pad_eff.round(3),
                          'peak RSS MiB': g.rss_mb.round(0).astype(int), 'TFLOP/s': g.tflop_s.round(3), 'precision': g.precision,
                          'of fp32 peak': (g.tflop_s/g.peak_fp32).map('{:.0%}'.format), 'of its precision\'s peak': g.util.map('{:.0%}'.format)}).reset_index()
        print(f"\n**{NAMES[m]}, {NAMES[data]}, max_len {n}** ({int(g.examples.max())} training examples, 1 epoch, medians of {g.rep.iloc[0]} runs; matmul peak fp32 "
              f"{g.peak_fp32.iloc[0]:.3f}, bf16 {g.peak_bf16.iloc[0]:.3f} TFLOP/s)\n\n{md(t)}")
    fig,axs = plt.subplots(1, 2, figsize=(12, 4))
    for ax,(m,g) in zip(axs, d.groupby('model', sort=False)):
        p = g.assign(cfg=g.data + ' ' + g.max_len.astype(str) + ', ' + g.examples.astype(int).astype(str) + ' ex').pivot(index='cfg', columns='runner', values='ex_s')[list(dict.fromkeys(g.runner))]
        p.plot.bar(ax=ax, rot=0, title=f'{NAMES[m]}: training examples/s (2 threads)')
    fig.tight_layout(); fig.savefig(IMG/'speed.png', dpi=90)

def agg(g, metric='metric'):
    "mean ± std over seeds, and the number of seeds"
    return pd.Series({'mean': g[metric].mean(), 'std': g[metric].std(ddof=1) if len(g) > 1 else np.nan, 'seeds': len(g), 'seconds': g.seconds.mean()})

def ablation():
    d = load('ablation').drop_duplicates(['data', 'model', 'variant', 'seed', 'rows'], keep='last')
    for (m,data),g in d.groupby(['model', 'data'], sort=False):
        t = g.groupby('variant', sort=False).apply(agg).reset_index()
        t['result'] = [f"{r['mean']:.4f}" + ('' if np.isnan(r['std']) else f" ± {r['std']:.4f}") for _,r in t.iterrows()]
        metric = 'mean ROC-AUC' if data == 'jigsaw' else 'accuracy'
        print(f"\n**{NAMES[m]}, {NAMES[data]}** (validation {metric}; mean ± std over seeds)\n\n{md(t[['variant', 'result', 'seeds', 'seconds']].round(1))}")
        if data == 'jigsaw':
            best_hf = _best_hf(g)
            keep = [v for v in ['tfidf', 'fit', 'itpt-gu', 'fit@0.0003', 'default', best_hf] if v in set(g.variant)]
            pl = g[g.variant.isin(keep)].groupby('variant', sort=False)[JIGSAW + ['metric']].mean().loc[keep].reset_index()
            print(f"\nPer label ({NAMES[m]}, mean over seeds):\n\n{md(pl.round(4))}")
        _ttq(g, m, data)
    fig,axs = plt.subplots(1, 3, figsize=(15, 4))
    for ax,(data,g) in zip(axs, d[d.model == 'splade'].groupby('data', sort=False)):
        t = g.groupby('variant', sort=False).apply(agg)
        ax.bar(t.index, t['mean'], yerr=t['std'].fillna(0), capsize=3, color=['C1' if v.startswith('hf-') else 'C2' if v == 'tfidf' else 'C0' for v in t.index])
        ax.set(title=f'{NAMES[data]}, SPLADE-tiny', ylim=(t['mean'].min()-0.05, min(1, t['mean'].max()+0.02)))
        ax.set_xticks(range(len(t)), t.index, rotation=60, ha='right', rotation_mode='anchor')
    fig.tight_layout(); fig.savefig(IMG/'ablation.png', dpi=90)

def _best_hf(g):
    hf = g[g.variant.str.startswith('hf-')]
    return hf.groupby('variant').metric.mean().idxmax() if len(hf) else None

def _ttq(g, m, data):
    "Time to quality: when fastbert's default recipe first reaches the final metric of the best HF Trainer run"
    b = _best_hf(g)
    if b is None or 'default' not in set(g.variant): return
    target = g[g.variant == b].metric.mean()
    hf_secs = g[g.variant == b].seconds.mean()
    rows = []
    for _,r in g[g.variant == 'default'].iterrows():
        hit = [t for t,v in r.curve if v >= target]
        rows.append(hit[0] if hit else np.nan)
    print(f"\nTime to quality ({NAMES[m]}, {NAMES[data]}): the HF Trainer's best ({b}) ends at {target:.4f} after {hf_secs:.0f} s; fastbert's default "
          f"recipe reaches it after {', '.join('never' if np.isnan(o) else f'{o:.0f} s ({o/hf_secs:.2f}x)' for o in rows)} (seeds {', '.join(map(str, g[g.variant == 'default'].seed.astype(int)))}), "
          f"step 2 included")
    plt.figure(figsize=(6, 4))
    for v,c in [('default', 'C0'), (b, 'C1')]:
        for i,(_,r) in enumerate(g[g.variant == v].iterrows()):
            t,y = zip(*r.curve); plt.plot(t, y, 'o-', color=c, alpha=0.7, label=("fastbert default" if v == 'default' else f'HF Trainer ({b})') if not i else None)
    plt.axhline(target, color='grey', ls=':')
    plt.xlabel('seconds (2 threads)'); plt.ylabel('validation ' + ('mean ROC-AUC' if data == 'jigsaw' else 'accuracy'))
    plt.title(f'{NAMES[data]}, {NAMES[m]}'); plt.legend(); plt.tight_layout(); plt.savefig(IMG/f'ttq_{data}_{m}.png', dpi=90); plt.close()

def _heldout_runs()->pd.DataFrame:
    "The records of bench/heldout.py, the last run of each set, variant, checkpoint and seed (the oldest records are Jigsaw's, without `data`)"
    d = load('heldout')
    d['data'] = d['data'].fillna('jigsaw') if 'data' in d else 'jigsaw'
    return d.drop_duplicates(['data', 'variant', 'model', 'seed'], keep='last')

def heldout():
    "Held-out rows (never trained or tuned on): mean ± std over seeds per set, checkpoint and variant; per label on Jigsaw"
    d = _heldout_runs()
    for name,dd in d.groupby('data', sort=False):
        multi,rows = name == 'jigsaw',[]
        for (m,v),g in dd.groupby(['model', 'variant'], sort=False):
            f = lambda c: f"{g[c].mean():.4f}" + (f" ± {g[c].std(ddof=1):.4f}" if len(g) > 1 else '')
            rows.append({'checkpoint': 'none' if v == 'tfidf' else NAMES.get(m, m), 'variant': v, 'seeds': len(g) if v != 'tfidf' else '-',
                         ('mean ROC-AUC' if multi else 'accuracy'): f('dev'), **({k: f"{g[k].mean():.4f}" for k in JIGSAW} if multi else {}),
                         **({'blend weight': '; '.join(' '.join(f'{x:g}' for x in np.atleast_1d(o)) for o in g.blend_w.dropna()) or '-'} if multi else {}),
                         **({'transformer alone': f('alone')} if 'alone' in g and g.alone.notna().all() and v != 'tfidf' else {}),
                         'seconds': f"{g.seconds.mean():.0f}"})
        print(f"\n**{HELDOUT[name]}**{' (per-label values are means over the seeds)' if multi else ''}\n\n{md(pd.DataFrame(rows).fillna('-'))}")

STEP2 = {'default': 1, 'lm5': 5, 'lm20': 20, 'lm-auto': 'auto', 'lm-head': 1, 'lm-reset': 1, 'lm-ww': 1}
START = {'lm-head': 'MLM head alone first', 'lm-reset': 'MLM head drawn anew, alone first', 'lm-ww': 'whole-word masking'}  # step 2's start, if not the default's
MORE = {'test': 'held-out texts', 'rest': 'other training documents'}  # the extra unlabelled text of a `+x` variant

def _ci(x:pd.Series)->tuple:
    "Mean of paired differences `x` and the half-width of its 95 % t-interval"
    return x.mean(),scipy.stats.t.ppf(0.975, len(x)-1)*x.std(ddof=1)/np.sqrt(len(x))

def _fmt_ci(x:pd.Series)->str: m,h = _ci(x); return f"{m:+.2f} [{m-h:+.2f}, {m+h:+.2f}]" if len(x) > 1 else '-'

def itpt_gain():
    "ITPT gain on held-out rows: each step-2 variant minus `lm0` (no step 2) of the same seed and checkpoint, mean with a 95 % t-interval; plotted against step 2's length"
    d = _heldout_runs()
    rows,fig = [],plt.figure(figsize=(6, 4))
    for (name,m),dd in d.groupby(['data', 'model'], sort=False):
        if 'lm0' not in set(dd.variant): continue
        base = dd[dd.variant == 'lm0'].set_index('seed')
        for v,g in dd[dd.variant.str.split('+').str[0].isin(list(STEP2))].groupby('variant', sort=False):
            g = g.set_index('seed')
            diff = (g.dev - base.dev).dropna()*100
            if len(diff) < 2: continue
            ep = [r[-1]['epochs'] for r in g.lm if isinstance(r, list) and r]
            ppl = [(r[0]['perplexity'], r[-1]['perplexity']) for r in g.lm if isinstance(r, list) and r]
            (mg,h),sn = _ci(diff),HELDOUT[name].split(':')[0]
            v,x = (v.split('+') + [''])[:2]
            rows.append({'set': sn, 'checkpoint': NAMES.get(m, m), 'step 2': STEP2[v],
                         'epochs run': f"{np.mean(ep):.1f}" if ep else '-', 'start': START.get(v, '-'), 'extra text': MORE.get(x, '-'), 'seeds': len(diff),
                         'without step 2': f"{base.dev[diff.index].mean():.4f}", 'with': f"{g.dev[diff.index].mean():.4f}", 'gain, points [95 % interval]': _fmt_ci(diff),
                         'gain, transformer alone': _fmt_ci((g.alone - base.alone).dropna()*100),
                         'held-out perplexity before, after': ', '.join(f'{x:,.0f}' for x in np.mean(ppl, 0)) if ppl else '-', 'seconds': f"{g.seconds.mean():.0f}",
                         '_x': np.mean(ep) if ep and v not in START else np.nan, '_g': mg, '_h': h, '_k': f"{sn}, {NAMES.get(m, m)}{', + ' + MORE[x] if x else ''}"})
    if not rows: return
    t = pd.DataFrame(rows)
    print(f"\n**ITPT gain on held-out rows (points of accuracy; ROC-AUC for Jigsaw): step 2 against none, same seeds**\n\n{md(t[[c for c in t.columns if not c.startswith('_')]])}")
    for k,g in t.groupby('_k', sort=False):
        g = g.sort_values('_x'); plt.errorbar(g._x, g._g, yerr=g._h, fmt='o-', capsize=3, label=k)
    plt.axhline(0, color='grey', ls=':'); plt.xscale('log'); plt.xlabel("step 2's epochs (log scale)"); plt.ylabel('gain, points (95 % interval)')
    plt.title('ITPT gain on held-out rows'); plt.legend(fontsize=8); plt.tight_layout(); fig.savefig(IMG/'itpt_gain.png', dpi=90); plt.close(fig)

HELDOUT = {'jigsaw': 'Jigsaw: trained on train_5k, scored on the 9,719 comments of dev_balanced',
           'rt': 'Rotten Tomatoes: trained on the 10,246 snippets of the fixed 80/20 split, scored on its 2,562 others',
           'trec': 'TREC-6: trained on the 4,305 questions of the fixed 80/20 split, scored on its 1,077 others',
           'news': '20 Newsgroups: trained on 3,000 documents of its training split, scored on its 7,528-document test split',
           'news-full': '20 Newsgroups: trained on all 11,293 documents of its training split, scored on its 7,528-document test split'}

LONG = {'head256': 'head, 256 tokens', 'head512': 'head, 512', 'headtail512': 'head+tail, 512', 'w128-mean': 'windows of 128 (8 at most), mean',
        'w128-max': 'windows of 128, max', 'w128-attn': 'windows of 128, attention',
        'w256-mean': 'windows of 256 (4 at most), mean', 'w256-wmean': 'windows of 256, mean weighted by tokens', 'w256-max': 'windows of 256, max',
        'w256-attn': 'windows of 256, attention', 'w512-mean': 'windows of 512 (4 at most), mean', 'w512-wmean': 'windows of 512, mean weighted by tokens',
        'w512-attn': 'windows of 512, attention'}

def long():
    "Truncation against windows (bench/long.py), per machine: held-out accuracy and macro F1 (mean ± std over seeds), on documents over 512 tokens, the paired difference to head 512 (95 % interval), blended, seconds per epoch, windows, peak RSS"
    d = load('long').drop_duplicates(['data', 'variant', 'model', 'seed', 'machine'], keep='last')
    for (name,m,mach),dd in d.groupby(['data', 'model', 'machine'], sort=False):
        rows,base = [],dd[dd.variant == 'head512'].set_index('seed').accuracy
        for v,g in sorted(dd.groupby('variant', sort=False), key=lambda o: list(LONG).index(o[0])):
            f = lambda c: '-' if c not in g or g[c].isna().all() else f"{g[c].mean():.4f}" + (f" ± {g[c].std(ddof=1):.4f}" if len(g) > 1 else '')
            rows.append({'texts': LONG[v], 'seeds': len(g), 'accuracy': f('accuracy'), 'macro F1': f('macro_f1'), 'over 512 tokens': f('acc_long'),
                         'against head 512, points': _fmt_ci(100*(g.set_index('seed').accuracy - base).dropna()) if v != 'head512' else '',
                         'blended': f('blend'), 'validation accuracy': f('valid'), 's/epoch': f"{g.s_epoch.median():.0f}",
                         'windows per document': '-' if g.windows_mean.isna().all() else f"{g.windows_mean.mean():.2f} (max {g.windows_max.max():.0f})",
                         'peak RSS MB': f"{g.peak_rss_mb.max():.0f}"})
        print(f"\n**{HELDOUT[name]}, {NAMES.get(m, m)}, classifier step only ({mach})**\n\n{md(pd.DataFrame(rows))}")

def bounded():
    "Peak RSS of commands on large inputs (bench/bounded.py)"
    d = load('bounded')
    print(f"\n**Peak RSS of one `fastbert` process ({d.machine.iloc[-1]})**\n\n{md(d[['run', 'peak_rss_mb', 'seconds']].rename(columns={'peak_rss_mb': 'peak RSS MB'}))}")

def infer():
    "Prediction speed, peak RSS and ROC-AUC per contender (bench/infer.py), with the speed against the HF pipeline's"
    d = load('infer')
    for m,g in d.groupby('model', sort=False):
        g = g.drop_duplicates('contender', keep='last').set_index('contender')
        base = g.ex_s.get('hf-pipe', np.nan)
        t = g.assign(vs_pipe=g.ex_s/base, vs_bs32=g.ex_s/g.ex_s.get('hf-pipe-bs32', np.nan), auc_diff=g.roc_auc-g.roc_auc.get('fastbert-fp32', np.nan))
        t = t[['ex_s', 'vs_pipe', 'vs_bs32', 'peak_rss_mb', 'weights_mb', 'roc_auc', 'auc_diff']].reset_index()
        print(f"\n**Predicting {g.rows.iloc[0]:,} Jigsaw comments, {NAMES[m]} ({g.machine.iloc[-1]})**\n\n{md(t)}")

if __name__ == '__main__':
    IMG.mkdir(exist_ok=True)
    if (OUT/'heldout.jsonl').exists(): heldout(); itpt_gain()
    if (OUT/'long.jsonl').exists(): long()
    if (OUT/'bounded.jsonl').exists(): bounded()
    if (OUT/'infer.jsonl').exists(): infer()
    if (OUT/'speed.jsonl').exists(): speed()
    if (OUT/'ablation.jsonl').exists(): ablation()
