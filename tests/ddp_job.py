"""A tiny data-parallel training job for test_distrib.py.
`torchrun --standalone --nproc_per_node 2 ddp_job.py OUT BS [PRECISION [ARCH [TRUNC]]]`, or `python ddp_job.py OUT BS` for one process:
trains a tiny classifier (BERT unless ARCH says, no dropout; TRUNC windows: texts in windows of 8 tokens) for 3 epochs and saves, per rank, what it saw and where it ended."""
import random, sys
from pathlib import Path
import pandas as pd, torch
from fastai.basics import *
from fastbert import *
from fastbert.testing import tiny_ckpt, tiny_tok_of, tiny_words
from fastbert.distrib import rank0_write

out,bs = Path(sys.argv[1]),int(sys.argv[2])
distrib_init()
rng = random.Random(0)
words = [w for w in tiny_words if w.isalpha()]
texts = list(dict.fromkeys(' '.join(rng.choice(words) for _ in range(rng.randint(3, 9))) for _ in range(200)))[:48]
df = pd.DataFrame({'text': texts, 'label': ['pos' if 'good' in t or len(t) % 3 else 'neg' for t in texts], 'is_valid': [False]*32 + [True]*16})
arch = sys.argv[4] if len(sys.argv) > 4 else 'bert'
tok,ck = tiny_tok_of(arch),out/'ck'
rank0_write(tiny_ckpt, ck, arch, **(dict(hidden_dropout_prob=0., attention_probs_dropout_prob=0.) if arch == 'bert' else {})) # ModernBERT has none by default

class Seen(Callback):
    "The training items each epoch, as tuples of token ids"
    def __init__(self): self.items = []
    def before_train(self): self.items.append([])
    def after_batch(self):
        if self.training: self.items[-1] += [tuple(r[r != tok.pad_token_id].tolist()) for r in self.x]

win = dict(trunc='windows', max_len=8, stride=2) if sys.argv[5:] == ['windows'] else {}
dls = BertDataLoaders.from_df(df, tok, label_col='label', valid_col='is_valid', bs=bs, seed=0, **win)
set_seed(0)
clas = set_precision(bert_classifier_learner(dls, ck, drop=0., path=out, cbs=Seen()), sys.argv[3] if len(sys.argv) > 3 else 'fp32')
clas.unfreeze()
vec = lambda: torch.cat([p.detach().flatten() for p in clas.model.parameters()])
init = vec()
clas.fit(3, 1e-2)
valid = [float(v) for v in clas.recorder.values[-1][1:]]
preds = clas.predict_texts(df.text[32:])
clas.save_pretrained(out/'model')
torch.save({'init': init, 'params': vec(), 'items': clas.seen.items, 'texts': texts[32:],
            'valid': valid, 'preds': preds[['neg', 'pos']].to_numpy(), 'world': num_distrib()},
           out/f'rank{rank_distrib()}.pt')
