"""One training step of a classifier at batch 32 x 256 tokens, with and without dropout on the attention probabilities: seconds and peak RSS.

With dropout there, PyTorch's fused attention (SDPA) on a CPU falls back to the plain computation, which keeps the attention matrices for the
backward pass. `python bench/attn_step.py [--model minilm]` runs each setting in a process of its own (3 steps, the last one reported) and
appends one JSON line per setting to bench/results/attn_step.jsonl."""
import argparse, json, subprocess, sys, time
from common import MODELS, ckpt, save

def child(model, drop, prec):
    import torch
    from transformers import AutoModelForSequenceClassification
    hwm = lambda: int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))/1024
    m = AutoModelForSequenceClassification.from_pretrained(ckpt(model), num_labels=6, attention_probs_dropout_prob=drop).train()
    torch.manual_seed(0)
    x = torch.randint(1000, 20000, (32, 256)); am = torch.ones_like(x); am[::2, 200:] = 0  # half the rows padded after 200 tokens
    opt = torch.optim.AdamW(m.parameters(), 1e-4)
    for i in range(3):
        open('/proc/self/clear_refs', 'w').write('5')  # the peak from here
        t = time.perf_counter()
        with torch.autocast('cpu', torch.bfloat16, enabled=prec == 'bf16'): loss = m(input_ids=x, attention_mask=am).logits.float().sum()
        loss.backward(); opt.step(); opt.zero_grad()
    print('RESULT', json.dumps(dict(attn=m.config._attn_implementation, seconds=round(time.perf_counter()-t, 3), peak_rss_mb=round(hwm()))))

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default='minilm', choices=[k for k in MODELS if k != 'tiny']); p.add_argument('--child', nargs=2, default=None)
    a = p.parse_args()
    if a.child: return child(a.model, float(a.child[0]), a.child[1])
    for prec in ('bf16', 'fp32'):
        for drop in (0.1, 0.):
            r = subprocess.run([sys.executable, __file__, '--model', a.model, '--child', str(drop), prec], capture_output=True, text=True)
            line = [l for l in r.stdout.splitlines() if l.startswith('RESULT ')]
            if r.returncode or not line: sys.exit(r.stderr[-3000:])
            rec = dict(model=a.model, attn_drop=drop, precision=prec, bs=32, tokens=256, **json.loads(line[-1][7:]))
            print(rec, flush=True); save('attn_step', rec)

if __name__ == '__main__': main()
