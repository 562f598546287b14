"The `fastbert` command against bad input, every subcommand: exit status 1 (130 when interrupted), one line on stderr, no traceback, nothing left behind."
import os, signal, subprocess, sys, time
import numpy as np, pandas as pd
import pytest
from conftest import tool
from fastbert.cli import cli_main
from fastbert.learner import label_names, load_pretrained_learner
from fastbert.testing import tiny_ckpt, tiny_tok

def run(*args):
    "Run the command in a child process, as a user does"
    return subprocess.run([tool('fastbert'), *map(str, args)], capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})

@pytest.fixture(scope='module')
def d(tmp_path_factory):
    "A tiny checkpoint, labelled CSVs, an empty one and a header-only one, and a model folder trained on them"
    d = tmp_path_factory.mktemp('matrix')
    ck = tiny_ckpt(d/'ck', tok=tiny_tok())
    rng = np.random.default_rng(0)
    words = ['good', 'bad', 'movie', 'film', 'great', 'awful', 'plot', 'fun']
    df = pd.DataFrame({'text': [' '.join(rng.choice(words, 6)) for _ in range(48)], 'label': ['pos', 'neg']*24})
    df.to_csv(d/'ok.csv', index=False)
    df.assign(label=[1, 2]*24).rename(columns={'label': 'a'}).assign(b=0).to_csv(d/'badlabels.csv', index=False)
    (d/'empty.csv').write_text('')
    (d/'header.csv').write_text('text,label\n')
    (d/'afile').write_text('not a folder')
    assert cli_main(['train', str(d/'ok.csv'), '--model', str(ck), '--out', str(d/'trained'), '--stages', '0', '--epochs', '1', '1', '--max-len', '16', '--bs', '8', '--no-baseline']) is None
    return d

cases = {  # what goes wrong: (arguments after the subcommand's own, per subcommand), the message's key words
    'missing file': ('nope.csv', 'no such file'),
    'empty file': ('empty.csv', 'is not a readable CSV file'),
    'no rows': ('header.csv', 'has no rows'),
    'no such column': ('ok.csv --text-col body', "'body' is not in the data"),
    'labels that do not fit': ('badlabels.csv --label-col a b', "label column 'a', row 1: value 2; multi-label columns must hold 0 or 1"),
    'unknown model': ('ok.csv --model no-such-org/no-such-model', 'offline mode is on'),
    'unwritable --out': ('ok.csv --out afile/sub', 'afile'),
}

def _args(cmd, case, d):
    a = cases[case][0].split()
    a[0] = str(d/a[0])
    a = [str(d/o) if o.startswith('afile') else o for o in a]
    model = ['--model', str(d/'ck')] if '--model' not in a else []
    if cmd in ('predict', 'eval'):
        if case == 'unknown model': return [cmd, str(d/'no_model'), a[0]]
        return [cmd, str(d/'trained'/'model'), *a]
    if case != 'unwritable --out' and '--out' not in a: a += ['--out', str(d/f'out_{cmd}_{case.replace(" ", "_")}')]
    return [cmd, *a, *model, '--max-len' if cmd != 'lm' else '--sl', '16', '--bs', '8']

na = {('lm', 'labels that do not fit'), ('predict', 'labels that do not fit'), ('eval', 'unwritable --out')}  # no labels, no --out

@pytest.mark.parametrize('cmd,case', [(c, k) for k in cases for c in ('lm', 'train', 'ulmfit', 'predict', 'eval') if (c, k) not in na])
def test_bad_input(d, cmd, case, capsys):
    args = _args(cmd, case, d)
    before = sorted(os.listdir(d))
    with pytest.raises(SystemExit) as e: cli_main(args)
    err = f"{e.value.code}" if isinstance(e.value.code, str) else capsys.readouterr().err
    assert e.value.code != 0 and e.value.code != 130
    msg = {('predict', 'unknown model'): 'does not exist', ('eval', 'unknown model'): 'does not exist',
           ('eval', 'labels that do not fit'): "label column 'a', row 0: label '1' is not one the model knows"}.get((cmd, case), cases[case][1])
    assert err.startswith(f'fastbert {cmd}: error: ') and msg in err and len(err.strip().splitlines()) == 1, err
    assert sorted(os.listdir(d)) == before, 'something was left behind'

def test_exit_status_is_1_from_the_shell(d):
    r = run('train', d/'nope.csv', '--out', d/'x')
    assert (r.returncode, r.stderr.strip().splitlines()) == (1, [f"fastbert train: error: '{d/'nope.csv'}': no such file or folder"])
    assert not (d/'x').exists()

@pytest.mark.parametrize('cmd', ['lm', 'train', 'ulmfit'])
def test_sigint(d, cmd):
    "Interrupted in the middle of training: status 130, one line, no temporaries or half-written files, no output folder if it was new"
    out = d/f'int_{cmd}'
    args = [tool('fastbert'), cmd, str(d/'ok.csv'), '--model', str(d/'ck'), '--out', str(out), '--bs', '8']
    args += ['--epochs', '200', '--sl', '16'] if cmd == 'lm' else ['--stages', '0', '--epochs', '200', '200', '--max-len', '16', '--no-baseline']
    if cmd == 'ulmfit': args += ['--lm-epochs', '0']
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'},
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as from a terminal, even when the tests run in the background (SIGINT ignored)
    for _ in range(3000):  # until the command has begun: it made the output folder (5 minutes at most, for a loaded machine)
        if out.exists() or p.poll() is not None: break
        time.sleep(0.1)
    time.sleep(3); p.send_signal(signal.SIGINT)
    _,err = p.communicate(timeout=120)
    assert p.returncode == 130, err[-2000:]
    assert err.strip().splitlines() == [f'fastbert {cmd}: interrupted'], err[-2000:]
    assert not out.exists(), sorted(out.rglob('*'))

@pytest.mark.parametrize('cmd', ['quantize', 'export'])
def test_quantize_export_bad_input(d, cmd, capsys):
    "A missing folder, a checkpoint that is not a fastbert model folder, an output that cannot be written: one line, nothing left behind"
    out = d/('x.onnx' if cmd == 'export' else 'x')
    for model,o,msg in [(d/'no_model', out, 'does not exist'), (d/'ck', out, 'is not a fastbert model folder'), (d/'trained'/'model', d/'afile'/'sub', 'afile')]:
        before = sorted(os.listdir(d))
        with pytest.raises(SystemExit) as e: cli_main([cmd, str(model), str(o)])
        err = e.value.code if isinstance(e.value.code, str) else capsys.readouterr().err
        assert err.startswith(f'fastbert {cmd}: error: ') and msg in err and len(err.strip().splitlines()) == 1, err
        assert sorted(os.listdir(d)) == before, 'something was left behind'

def test_onnx_without_onnxruntime(d):
    "`predict --onnx` where ONNX Runtime is not installed: exit 1 and one line saying how to install it"
    assert run('export', d/'trained'/'model', d/'m.onnx').returncode == 0
    code = ("import sys; sys.modules['onnxruntime'] = None; from fastbert.cli import cli_main; "
            f"cli_main(['predict', {str(d/'trained'/'model')!r}, {str(d/'ok.csv')!r}, '--onnx', {str(d/'m.onnx')!r}, '--out', {str(d/'po.csv')!r}])")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    assert r.returncode == 1 and r.stderr.strip().splitlines() == ["fastbert predict: error: onnxruntime is not installed: pip install 'fastbert-ulmfit[onnx]'"], r.stderr[-2000:]
    assert not (d/'po.csv').exists()

def _train(d, csv, out, *more):
    "`fastbert train` on the CSV file `csv` with the tiny checkpoint, in this process; None when it succeeds"
    return cli_main(['train', str(csv), '--model', str(d/'ck'), '--out', str(out), '--stages', '0', '--epochs', '1', '1', '--max-len', '16', '--bs', '8', *map(str, more)])

def _rows(d, name, **cols):
    "A CSV file of 48 rows of words from the fixture's vocabulary, with the columns `cols` (lists, or one value)"
    rng = np.random.default_rng(1)
    words = ['good', 'bad', 'movie', 'film', 'great', 'awful', 'plot', 'fun']
    df = pd.DataFrame({'text': [' '.join(rng.choice(words, 5)) for _ in range(48)], 'label': ['pos', 'neg']*24}).assign(**cols)
    df.to_csv(d/name, index=False)
    return d/name

@pytest.mark.parametrize('case', ['regression', 'one word', 'unique words', 'emoji', 'NA texts'])
def test_odd_data_trains_and_keeps_its_model(d, case):
    "Data the baseline or the reader used to fail on after training: the run saves its model, with the baseline where one can be fit"
    rng = np.random.default_rng(2)
    cols = {'regression': dict(label=rng.random(48).round(3)), 'one word': dict(text=['good', 'bad', 'fun', 'plot']*12),
            'unique words': dict(text=[f'word{i}' for i in range(48)]), 'emoji': dict(text=['😀', '🙂 🙂', '😡', '👍']*12),
            'NA texts': dict(text=['NA', 'null', 'None', '', 'a good film', 'bad']*8)}[case]
    out = d/f'odd_{case.replace(" ", "_")}'
    assert _train(d, _rows(d, f'{out.name}.csv', **cols), out) is None
    assert (out/'model'/'model.safetensors').is_file()
    stages = pd.read_csv(out/'report.csv').stage.tolist()
    assert stages == (['head', 'all'] if case == 'regression' else ['head', 'all', 'tfidf baseline', 'blend']), stages
    p = out/'p.csv.gz'
    assert cli_main(['predict', str(out/'model'), str(d/f'{out.name}.csv'), '--out', str(p)]) is None
    assert p.read_bytes()[:2] == b'\x1f\x8b' and len(pd.read_csv(p)) == 48   # --out .csv.gz is gzip; every row, "NA" texts included

@pytest.mark.parametrize('case', ['single class', 'class only in validation'])
@pytest.mark.parametrize('cmd', ['train', 'ulmfit'])
def test_label_cases_stop_before_training(d, cmd, case, capsys):
    "Labels that cannot make a classifier: exit 1 with one line before anything trains, nothing left behind"
    f = _rows(d, 'one_class.csv', label='pos') if case == 'single class' else _rows(d, 'valid_only.csv', label=['rare'] + ['pos', 'neg']*23 + ['neg'], v=[True]*10 + [False]*38)
    more = ['--valid-col', 'v'] if case != 'single class' else []
    out = d/f'lc_{cmd}'
    before = sorted(os.listdir(d))
    with pytest.raises(SystemExit) as e:
        cli_main([cmd, str(f), '--model', str(d/'ck'), '--out', str(out), '--max-len', '16', '--bs', '8', *more, *(['--sl', '16'] if cmd == 'ulmfit' else [])])
    err = e.value.code
    msg = "holds one class only, 'pos'" if case == 'single class' else "row 0: class 'rare' is only in validation rows ('v')"
    assert err.startswith(f'fastbert {cmd}: error: ') and msg in err and len(err.splitlines()) == 1, err
    assert sorted(os.listdir(d)) == before and 'Epoch' not in capsys.readouterr().out

def test_class_only_in_a_random_split_cannot_happen(d):
    "A random validation split is stratified: a class of one row trains, and the model knows it"
    out = d/'strat'
    assert _train(d, _rows(d, 'rare.csv', label=['rare'] + ['pos', 'neg']*23 + ['neg']), out, '--no-baseline') is None
    assert sorted(label_names(load_pretrained_learner(out/'model').dls)) == ['neg', 'pos', 'rare']

def test_model_folder_keeps_other_files(d):
    "Training into an output folder whose model folder holds other files keeps them, and the new model loads"
    out = d/'shared'
    (out/'model').mkdir(parents=True); (out/'model'/'notes.txt').write_text('mine'); (out/'keep.csv').write_text('a\n1\n')
    assert _train(d, d/'ok.csv', out) is None
    assert (out/'model'/'notes.txt').read_text() == 'mine' and (out/'keep.csv').is_file()
    assert load_pretrained_learner(out/'model').predict_texts(['good movie']).shape == (1, 3)

def test_whole_float_classes_evaluate(d, capsys):
    "Classes trained from whole floats (--task single) are scored by `eval` on the same file"
    f = _rows(d, 'floats.csv', label=[0., 1.]*24)
    assert _train(d, f, d/'floats', '--task', 'single') is None
    capsys.readouterr()
    assert cli_main(['eval', str(d/'floats'/'model'), str(f), '--plot', str(d/'floats'/'cm.png')]) is None
    assert 'accuracy' in capsys.readouterr().out and (d/'floats'/'cm.png').is_file()
