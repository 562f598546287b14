"GPU paths: class weights of the focal loss, int8 models, batches, the loop without waits and compiled blocks on a machine with a GPU. Skipped where there is none."
import numpy as np, pandas as pd, pytest, torch
from fastbert import fit_classifier, load_pretrained_learner
from fastbert.testing import tiny_ckpt, tiny_tok

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU: these check where tensors live when one is present')

@pytest.fixture(scope='module')
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp('cuda')
    rng = np.random.default_rng(0)
    words = ['good', 'bad', 'movie', 'film', 'great', 'awful', 'plot', 'fun']
    df = pd.DataFrame({'text': [' '.join(rng.choice(words, 6)) for _ in range(64)], 'label': ['pos', 'neg', 'neg', 'neg']*16})
    return d,df,tiny_ckpt(d/'ck', tok=tiny_tok())

def test_focal_loss_with_class_weights_trains_on_cuda(data):
    d,df,ck = data
    clas,r = fit_classifier(df, pretrained=ck, path=d, class_weight='auto', gamma=2., epochs=(1, 1), bs=8, max_len=16, baseline=False)
    assert clas.dls.device.type == 'cuda' and clas.loss_func.func.weight.device.type == 'cuda'
    assert np.isfinite(r.table.valid_loss).all()

def test_int8_folder_predicts_on_the_cpu_of_a_gpu_machine(data):
    d,df,ck = data
    clas,_ = fit_classifier(df, pretrained=ck, path=d, epochs=(1, 0), bs=8, max_len=16, baseline=False)
    clas.save_pretrained(d/'m')
    load_pretrained_learner(d/'m').quantize().save_pretrained(d/'q')
    q = load_pretrained_learner(d/'q')
    assert q.dls.device.type == 'cpu'
    p = q.predict_texts(df.text[:8])
    np.testing.assert_allclose(p[['neg', 'pos']].to_numpy(), load_pretrained_learner(d/'m').predict_texts(df.text[:8])[['neg', 'pos']].to_numpy(), atol=0.02)

def test_batches_on_the_gpu_are_bucketed_and_built_in_bulk(data):
    from fastbert import BertDataLoaders
    d,df,ck = data
    dls = BertDataLoaders.from_df(df, tiny_tok(), label_col='label', bs=8, max_len=32, seed=0)
    assert dls.device.type == 'cuda' and dls.train.table() is not None
    a,b = list(dls.valid),list(dls.valid.new(bulk=False))
    assert all(p.device.type == 'cuda' and type(p) == type(q) and torch.equal(p, q) for x,y in zip(a, b) for p,q in zip(x, y))
    assert {x.shape[1] for x,_ in dls.train} <= set(dls.train.before_batch.fs[0].widths)

def strict(learn):
    "Have every batch of `learn` raise at any operation that waits for the GPU"
    one = learn.one_batch
    def _inner(*args):
        torch.cuda.set_sync_debug_mode('error')
        try: one(*args)
        finally: torch.cuda.set_sync_debug_mode('default')
    learn.one_batch = _inner
    return learn

@pytest.mark.parametrize('labels,precision', [('label', 'bf16'), (['a', 'b'], 'fp32'), (None, 'bf16')])
def test_batches_do_not_wait_for_the_gpu(data, labels, precision):
    "Training, validation and (classifiers) prediction batches; `None`: a masked LM"
    from fastbert import BertDataLoaders, bert_classifier_learner, bert_lm_learner, set_precision
    d,df,ck = data
    df = df.assign(a=[0, 1]*32, b=[1, 1, 0, 0]*16)
    dls = BertDataLoaders.from_df(df, tiny_tok(), **(dict(is_lm=True, sl=16) if labels is None else dict(label_col=labels, max_len=16)), bs=8, seed=0)
    learn = strict(set_precision((bert_lm_learner if labels is None else bert_classifier_learner)(dls, ck, path=d), precision))
    learn.unfreeze()
    with learn.no_bar(), learn.no_logging(): learn.fit(2, 1e-3)
    assert np.isfinite(learn.recorder.losses).all() and len(learn.recorder.values) == 2
    if labels is None: return
    p,_ = learn.get_preds()
    assert p.device.type == 'cpu' and torch.isfinite(p).all() and len(p) == len(dls.valid_ds)

def test_masked_lm_batches_are_made_without_waiting_for_the_gpu(data):
    "Masked-LM batches built, copied and masked with no wait: the bound on the picked tokens comes from the host's random draws, validation masks' seeds from the ids' host copy"
    from fastbert import BertDataLoaders
    d,df,ck = data
    dls = BertDataLoaders.from_df(df, tiny_tok(), is_lm=True, sl=16, bs=8, seed=0)
    dls.train.table(); dls.valid.table()
    torch.cuda.set_sync_debug_mode('error')
    try: bs,vs = list(dls.train),list(dls.valid)
    finally: torch.cuda.set_sync_debug_mode('default')
    assert all(y.device.type == 'cuda' and y.n_pick >= int((y != -100).sum()) for _,y in bs+vs)
    cpu = list(dls.valid.new(device=torch.device('cpu'))) # the same masks as where the ids were never on a GPU
    assert len(cpu) == len(vs) and all(torch.equal(p.cpu(), q) for a,b in zip(vs, cpu) for p,q in zip(a, b))

def test_compiled_blocks_train_on_the_gpu(data):
    from fastbert import BertDataLoaders, bert_classifier_learner
    d,df,ck = data
    learn = bert_classifier_learner(BertDataLoaders.from_df(df, tiny_tok(), label_col='label', bs=8, max_len=16, seed=0), ck, path=d, compile=True)
    learn.unfreeze()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    assert np.isfinite(learn.recorder.losses).all()
