"GPU paths: class weights of the focal loss and int8 models on a machine with a GPU. Skipped where there is none."
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
