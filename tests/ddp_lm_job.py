"""A tiny data-parallel masked-LM job for test_distrib.py.
`torchrun --standalone --nproc_per_node 2 ddp_lm_job.py OUT STEPS`: step 2 with a budget of STEPS batches, then with epochs='auto';
saves, per rank, the learning rates of the budgeted run and the epochs of the automatic one."""
import random, sys
from pathlib import Path
import pandas as pd, torch
from fastai.basics import num_distrib, rank_distrib, set_seed
from fastbert import *
from fastbert.testing import tiny_ckpt, tiny_tok, tiny_words
from fastbert.distrib import rank0_write

out,steps = Path(sys.argv[1]),int(sys.argv[2])
distrib_init()
rng = random.Random(0)
words = [w for w in tiny_words if w.isalpha()]
df = pd.DataFrame({'text': [' '.join(rng.choice(words) for _ in range(rng.randint(5, 30))) for _ in range(120)]})
ck = out/'ck'
rank0_write(tiny_ckpt, ck)
set_seed(0)
dls = BertDataLoaders.from_df(df, tiny_tok(), is_lm=True, sl=16, bs=4, seed=0)
lm = bert_lm_learner(dls, ck, path=out)
with lm.no_bar(): fine_tune_lm(lm, steps=steps, lr=1e-2)
lrs = [float(o) for o in lm.recorder.lrs]
with lm.no_bar(): r = fine_tune_lm(lm, epochs='auto', max_epochs=3, patience=1, lr=1e-2)
torch.save({'lrs': lrs, 'batches': len(dls.train), 'auto_epochs': len(lm.recorder.values), 'world': num_distrib(),
            'params': torch.cat([p.detach().flatten() for p in lm.model.parameters()])}, out/f'rank{rank_distrib()}.pt')
