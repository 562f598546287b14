"""Peak memory of bf16 training steps on a CPU against the number of distinct shapes: all-MiniLM-L6-v2, batches of 32 rows.

Usage: python bench/shapes.py --widths mult8|buckets [--trim N] [--epochs 2]
       python bench/shapes.py --mlm [--pick-mult 128]
One epoch is 31 steps, at the widths 16, 24, ..., 256 (padded to multiples of 8, as bf16 batches are) or at the same widths
rounded up to `bucket_lens(256)`'s 8 (more tokens, fewer shapes); `--trim N` calls `trim_heap` every N steps. Plain PyTorch (no
fastai loop), random ids, fused AdamW, attention dropout 0. `--mlm`: 120 masked-LM steps of 32 x 128 tokens whose head
sees the states of the 15 % picked tokens only (as `BertMLM` with `pick`), their count changing every batch, padded to a
multiple of `--pick-mult` rows (0: not padded, as before December 2026). Prints the RSS after each epoch (30 steps with
`--mlm`) and the peak; appends to bench/results/shapes.jsonl."""
import argparse, resource, time
import torch, torch.nn.functional as F
from common import *

rss = lambda: int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS')))//1024

def mlm(a):
    "Masked-LM steps with the head on the picked tokens' states, padded to a multiple of `a.pick_mult` rows"
    from transformers import AutoModelForMaskedLM
    torch.manual_seed(0)
    m = AutoModelForMaskedLM.from_pretrained(ckpt('minilm'), attention_probs_dropout_prob=0.)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-5, fused=True)
    st = {}
    def cut(mod, args, out):
        h = out.last_hidden_state[st['pick']]
        out.last_hidden_state = F.pad(h, (0, 0, 0, -len(h) % a.pick_mult)) if a.pick_mult else h
        return out
    m.base_model.register_forward_hook(cut)
    g,hist,ns,t = torch.Generator().manual_seed(0),[],set(),time.perf_counter()
    for i in range(120):
        x = torch.randint(1000, 20000, (32, 128), generator=g)
        st['pick'] = torch.rand(32, 128, generator=g) < 0.15
        y = x[st['pick']]
        with torch.autocast('cpu', dtype=torch.bfloat16): lg = m(input_ids=x, attention_mask=torch.ones_like(x)).logits
        ns.add(lg.shape[0])
        F.cross_entropy(lg[:len(y)].float(), y).backward(); opt.step(); opt.zero_grad(set_to_none=True)
        if i % 30 == 29: hist.append(rss())
    return dict(mlm=True, pick_mult=a.pick_mult, shapes=len(ns), rss_mb=hist, peak_mb=peak_rss_mb(), seconds=time.perf_counter()-t)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--widths', default='mult8', choices=['mult8', 'buckets']); p.add_argument('--trim', type=int, default=0)
    p.add_argument('--epochs', type=int, default=2)
    p.add_argument('--mlm', action='store_true'); p.add_argument('--pick-mult', type=int, default=128)
    a = p.parse_args()
    if a.mlm:
        r = mlm(a); print(r); return save('shapes', r)
    from transformers import AutoModelForSequenceClassification
    from fastbert import bucket_lens, trim_heap
    torch.manual_seed(0)
    m = AutoModelForSequenceClassification.from_pretrained(ckpt('minilm'), num_labels=6, attention_probs_dropout_prob=0.)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-5, fused=True)
    ws = list(range(16, 257, 8))
    if a.widths == 'buckets': ws = [next(b for b in bucket_lens(256) if b >= w) for w in ws]
    g,hist,t = torch.Generator().manual_seed(0),[],time.perf_counter()
    for _ in range(a.epochs):
        for i,w in enumerate(ws):
            x = torch.randint(1000, 20000, (32, w), generator=g)
            with torch.autocast('cpu', dtype=torch.bfloat16): out = m(input_ids=x, attention_mask=torch.ones_like(x)).logits
            out.float().pow(2).mean().backward(); opt.step(); opt.zero_grad(set_to_none=True)
            if a.trim and i % a.trim == 0: trim_heap()
        hist.append(rss())
    r = dict(widths=a.widths, shapes=len(set(ws)), tokens=32*sum(ws)*a.epochs, trim=a.trim, rss_mb=hist, peak_mb=peak_rss_mb(), seconds=time.perf_counter()-t)
    print(r); save('shapes', r)

if __name__ == '__main__': main()
