"""Padding: the share of the tokens, and of the training matmul FLOPs, that are real, over an epoch of training batches, by way of batching.

Usage: python bench/padding.py [--max-len 256] [--bs 32]
What unpadded attention or packing could win at most: they compute the real tokens only (a share of 1). 20 Newsgroups'
11,293 training documents (as bench/gpu.py trains on), Jigsaw's train_5k comments, and the training rows of Rotten Tomatoes
and TREC-6 (bench/common.py's split), BERT's uncased vocabulary (SPLADE-tiny's tokenizer); fastbert's sortish batches padded to
the length buckets fitted to the texts (its default), to 8 evenly spaced ones (`bucket_lens`, the default before) or to their
longest text (a multiple of 8), and the Trainer's random batches and `group_by_length` batches, each padded to its longest text. FLOPs are BERT-base's
(12 layers, hidden 768; attention's share grows with the width). Appends to bench/results/padding.jsonl."""
import argparse, time
from common import *
from gpu import news

def tally(batches, L=12, h=768, i=3072)->dict:
    "Real share of the tokens and of BERT-base's training FLOPs, and distinct widths, of `batches`: lists of the texts' lengths and their padded width"
    real = tot = rf = tf = 0; widths = set()
    for ns,w in batches:
        ns = np.asarray(ns, dtype=float); real += ns.sum(); tot += len(ns)*w; widths.add(w)
        rf += 3*L*(2*ns.sum()*(4*h*h + 2*h*i) + 4*(ns*ns).sum()*h); tf += train_flops(len(ns), w, L, h, i)
    return dict(pad_eff=real/tot, flop_eff=rf/tf, widths=len(widths))

def fastbert_batches(dl)->list:
    "Lengths and width of each batch of an epoch of `dl`"
    pad = dl.before_batch.fs[0].pad_id
    return [((x != pad).sum(1).tolist(), x.shape[1]) for x,*_ in dl]

def trainer_batches(lens:list, bs:int, grouped:bool)->list:
    "Lengths and width of each batch of an epoch as the Trainer draws them: at random, or by `group_by_length`"
    from transformers.trainer_pt_utils import LengthGroupedSampler
    g = torch.Generator().manual_seed(42)
    idx = list(LengthGroupedSampler(bs, lengths=lens, generator=g)) if grouped else torch.randperm(len(lens), generator=g).tolist()
    return [([lens[j] for j in idx[k:k+bs]], max(lens[j] for j in idx[k:k+bs])) for k in range(0, len(idx), bs)]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--max-len', type=int, default=256); p.add_argument('--bs', type=int, default=32)
    a = p.parse_args()
    from fastbert import BertDataLoaders, load_tok
    tok = load_tok(ckpt('splade'))
    jig = pd.read_csv(DATA/'jigsaw'/'train_5k.csv').rename(columns={'comment_text': 'text'})
    sets = [('news', news()[0], 'label'), ('jigsaw', jig.assign(is_valid=np.arange(len(jig)) < 64), JIGSAW)]
    for name in ('rt', 'trec'): df,text,label,_ = load_set(name); sets.append((name, df.rename(columns={text: 'text'}), label))
    for name,df,label in sets:
        dls = BertDataLoaders.from_df(df, tok, label_col=label, valid_col='is_valid', max_len=a.max_len, bs=a.bs, seed=42)
        lens = [len(o) for o in tok(df[~df.is_valid].text.tolist(), truncation=True, max_length=a.max_len)['input_ids']]
        pad = dls.train.before_batch.fs[0]
        rows = {'fastbert (fitted buckets)': fastbert_batches(dls.train)}
        pad.fitted = None
        rows |= {'fastbert (even buckets)': fastbert_batches(dls.train), 'fastbert (longest, x8)': fastbert_batches(exact_widths(dls).train),
                'Trainer (random)': trainer_batches(lens, a.bs, False), 'Trainer (group_by_length)': trainer_batches(lens, a.bs, True)}
        for k,b in rows.items():
            r = tally(b)
            print(f"{name:7} {k:27} real tokens {r['pad_eff']:.3f}  real FLOPs {r['flop_eff']:.3f}  widths {r['widths']}", flush=True)
            save('padding', dict(data=name, batching=k, texts=len(lens), max_len=a.max_len, bs=a.bs, **r, time=time.strftime('%Y-%m-%d %H:%M')))

if __name__ == '__main__': main()
