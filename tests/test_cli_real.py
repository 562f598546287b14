"The `fastbert` console script, as a user runs it, on real data: Rotten Tomatoes snippets and SPLADE-tiny."
import os, subprocess
import pandas as pd
import pytest
from conftest import tool, data

def fastbert(*args, cwd=None):
    return subprocess.run([tool('fastbert'), *map(str, args)], capture_output=True, text=True, cwd=cwd, env={**os.environ, 'HF_HUB_OFFLINE': '1'})

@pytest.fixture(scope='module')
def rt(tmp_path_factory):
    "1,500 Rotten Tomatoes snippets for training, 300 others to predict, with an id column"
    df = pd.read_csv(data/'rotten_tomatoes.csv.gz').sample(1800, random_state=0).reset_index(drop=True)
    d = tmp_path_factory.mktemp('rt')
    df[:1500].to_csv(d/'train.csv', index=False)
    df[1500:].assign(id=[f'r{i}' for i in range(300)]).sample(frac=1, random_state=1).to_csv(d/'test.csv', index=False)
    return d

@pytest.fixture(scope='module')
def trained(rt):
    r = fastbert('ulmfit', rt/'train.csv', '--label-col', 'category', '--model', 'splade-tiny', '--max-len', 64, '--stages', 0, '--epochs', 1, 1, '--out', rt/'out')
    assert r.returncode == 0, r.stderr[-3000:]
    return r

def test_ulmfit_on_rotten_tomatoes(trained, rt):
    "All three steps run; step 2 lowers held-out perplexity; the classifier beats chance; the files are there"
    rep = pd.read_csv(rt/'out'/'report.csv')
    assert rep.stage.tolist() == ['pretrained', 'all', 'head', 'all', 'tfidf baseline', 'blend']
    ppl = rep[rep.step == 'lm'].perplexity.tolist()
    assert ppl[1] < ppl[0], ppl
    assert rep.accuracy.iloc[-2] > 0.6 and rep.accuracy.iloc[-1] > 0.6, rep  # the classifier and the TF-IDF baseline beside it
    for f in ('model/config.json', 'model/model.safetensors', 'model/tokenizer.json', 'encoder.pth', 'training.png'): assert (rt/'out'/f).is_file(), f
    assert 'seconds per step' in trained.stdout and 'Traceback' not in trained.stderr

def test_ulmfit_with_a_modernbert_folder(rt, tmp_path):
    "All three steps with a tiny random ModernBERT checkpoint folder (its masked-LM head included), then prediction from its folder"
    from fastbert.testing import tiny_ckpt, tiny_bpe_tok
    ck = tiny_ckpt(tmp_path/'modernbert', 'modernbert', tok=tiny_bpe_tok(max_len=512))
    r = fastbert('ulmfit', rt/'train.csv', '--label-col', 'category', '--model', ck, '--stages', 0, '--epochs', 1, 1, '--max-len', 128, '--out', tmp_path/'out')
    assert r.returncode == 0, r.stderr[-3000:]
    rep = pd.read_csv(tmp_path/'out'/'report.csv')
    assert rep.stage.tolist() == ['pretrained', 'all', 'head', 'all', 'tfidf baseline', 'blend']
    ppl = rep[rep.step == 'lm'].perplexity.tolist()
    assert ppl[1] < ppl[0], ppl
    assert fastbert('predict', tmp_path/'out'/'model', rt/'test.csv', '--out', tmp_path/'p.csv').returncode == 0
    assert pd.read_csv(tmp_path/'p.csv').columns.tolist() == ['id', 'fresh', 'rotten']

def test_predict_writes_a_column_per_label_in_input_order(trained, rt):
    r = fastbert('predict', rt/'out'/'model', rt/'test.csv', '--out', rt/'preds.csv')
    assert r.returncode == 0, r.stderr[-3000:]
    p,t = pd.read_csv(rt/'preds.csv'),pd.read_csv(rt/'test.csv')
    assert p.columns.tolist() == ['id', 'fresh', 'rotten']
    assert p.id.tolist() == t.id.tolist()
    assert ((p.fresh + p.rotten - 1).abs() < 1e-5).all()
    r = fastbert('eval', rt/'out'/'model', rt/'test.csv', cwd=rt)
    assert r.returncode == 0 and 'accuracy' in r.stdout and 'recall' in r.stdout, r.stderr[-3000:]
    assert (rt/'confusion_matrix.png').is_file()  # single-label: the confusion matrix, by default in the working directory

@pytest.mark.parametrize('args,msg', [
    (('train', 'missing.csv'), "'missing.csv': no such file"),
    (('train', '{rt}/train.csv', '--text-col', 'review'), "text column 'review' is not in the data"),
    (('train', '{rt}/train.csv', '--label-col', 'category', '--model', 'no-such-org/no-such-model'), "cannot load a tokenizer for 'no-such-org/no-such-model'"),
])
def test_bad_input_one_line_no_traceback(rt, args, msg):
    r = fastbert(*(a.format(rt=rt) for a in args), '--out', rt/'bad')
    assert r.returncode == 1
    err = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(err) == 1 and msg in err[0] and 'Traceback' not in r.stderr, r.stderr[-2000:]
