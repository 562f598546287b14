"Data-parallel training on CPUs: two processes launched by torchrun (gloo) against one process with the same global batch."
import os, subprocess, sys
from pathlib import Path
import numpy as np, pytest, torch
from conftest import tool

job = Path(__file__).parent/'ddp_job.py'
env = {**os.environ, 'ACCELERATE_USE_CPU': 'true', 'OMP_NUM_THREADS': '1', 'HF_HUB_OFFLINE': '1', 'CUDA_VISIBLE_DEVICES': ''}  # CPUs, on a GPU machine too

def run(*args):
    r = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]
    return r

def two_and_one(d, *args):
    "Two processes with 16 items a batch each, and one process with 32 (`args`: precision and architecture): what each saved"
    run(tool('torchrun'), '--standalone', '--nproc_per_node', 2, job, d/'two', 16, *args)
    run(sys.executable, job, d/'one', 32, *args)
    load = lambda f: torch.load(f, weights_only=False)
    return d,[load(d/'two'/f'rank{r}.pt') for r in (0, 1)],load(d/'one'/'rank0.pt')

@pytest.fixture(scope='module')
def jobs(tmp_path_factory):
    "A tiny BERT: one step per epoch either way, on the same 32 items"
    return two_and_one(tmp_path_factory.mktemp('ddp'))

def test_each_rank_sees_half_the_items(jobs):
    _,(r0,r1),one = jobs
    assert (r0['world'], one['world']) == (2, 0)
    for a,b,o in zip(r0['items'], r1['items'], one['items']):
        assert len(a) == len(b) == len(o)//2 == 16
        assert not set(a) & set(b) and set(a) | set(b) == set(o)

@pytest.fixture(scope='module')
def win_jobs(tmp_path_factory):
    "The tiny BERT on texts in windows of 8 tokens (1 to 3 per text)"
    return two_and_one(tmp_path_factory.mktemp('ddp_win'), 'fp32', 'bert', 'windows')

def test_windowed_documents_stay_whole(win_jobs):
    "Each process gets whole documents (all the windows of each), half of them, and together every one"
    test_each_rank_sees_half_the_items(win_jobs)
    assert max(len(o) for o in win_jobs[2]['items'][0]) > 8, "some documents have several windows"

@pytest.fixture(params=['bert', 'modernbert', 'windows'])
def arch_jobs(request, jobs, win_jobs, tmp_path):
    return {'bert': jobs, 'windows': win_jobs}.get(request.param) or two_and_one(tmp_path, 'fp32', 'modernbert')

def test_ranks_agree_and_match_one_process(arch_jobs):
    _,(r0,r1),one = arch_jobs
    assert torch.equal(r0['params'], r1['params'])
    assert torch.equal(r0['init'], one['init']) and not torch.allclose(r0['params'], r0['init']), "training moved the parameters"
    torch.testing.assert_close(r0['params'], one['params'], atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(r0['valid'], one['valid'], atol=1e-4)   # validation loss, accuracy and F1 over all 16 rows
    np.testing.assert_allclose(r0['preds'], one['preds'], atol=1e-4)   # get_preds shared out over the ranks, gathered in order

def test_rank0_saved_model_loads_and_predicts(jobs):
    from fastbert import load_pretrained_learner
    d,(r0,_),_ = jobs
    assert sorted(o.name for o in (d/'two').iterdir()) == ['ck', 'model', 'rank0.pt', 'rank1.pt']
    p = load_pretrained_learner(d/'two'/'model').predict_texts(r0['texts'])
    np.testing.assert_allclose(p[['neg', 'pos']].to_numpy(), r0['preds'], atol=1e-5)

def test_command_trains_data_parallel(jobs, tmp_path):
    "`fastbert train` under torchrun: one results table (rank 0 prints), one model"
    d = jobs[0]
    import pandas as pd
    pd.DataFrame({'text': jobs[1][0]['texts']*4, 'label': ['a', 'b']*32}).to_csv(tmp_path/'t.csv', index=False)
    r = run(tool('torchrun'), '--standalone', '--nproc_per_node', 2, '--no-python', tool('fastbert'), 'train', tmp_path/'t.csv', '--model', d/'two'/'ck',
            '--stages', 0, '--epochs', 1, 1, '--max-len', 32, '--bs', 8, '--out', tmp_path/'o')
    assert r.stdout.count('seconds per step') == 1, r.stdout[-3000:]
    assert (tmp_path/'o'/'model'/'model.safetensors').is_file() and pd.read_csv(tmp_path/'o'/'report.csv').stage.tolist() == ['head', 'all', 'tfidf baseline', 'blend']

def test_masked_lm_budget_and_auto_data_parallel(tmp_path):
    "Step 2 under torchrun: a budget of batches is each process's own (one cycle ends), and 'auto' keeps the best epoch of the model itself"
    lm = Path(__file__).parent/'ddp_lm_job.py'
    run(tool('torchrun'), '--standalone', '--nproc_per_node', 2, lm, tmp_path, 25)
    r0,r1 = [torch.load(tmp_path/f'rank{r}.pt', weights_only=False) for r in (0, 1)]
    assert r0['world'] == 2 and r0['batches'] > 25 > -(-r0['batches']//2), "the budget spans more than one epoch of each process"
    assert len(r0['lrs']) == len(r1['lrs']) == 25, len(r0['lrs'])
    assert r0['lrs'][-1] < max(r0['lrs'])/100, "one cycle ran to its end"
    assert 1 <= r0['auto_epochs'] <= 3 and torch.equal(r0['params'], r1['params'])
