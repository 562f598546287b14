"The package's public surface: `from fastbert import *` gives what `from fastai.text.all import *` gives and fastbert's public names, not its test helpers or internals."
import importlib, subprocess, sys
import pytest
import fastbert

mods = ['core', 'distrib', 'testing', 'data', 'metrics', 'losses', 'decide', 'models', 'learner', 'interpret', 'ulmfit', 'infer', 'command', 'cli']

def star()->dict:
    ns = {}
    exec('from fastbert import *', ns)
    return ns

@pytest.mark.parametrize('mod', mods)
def test_star_import_gives_public_names_only(mod):
    ns,m = star(),importlib.import_module(f'fastbert.{mod}')
    assert m.__all__, f"fastbert.{mod} exports nothing"
    want = [] if mod == 'testing' else [n for n in m.__all__ if n not in fastbert._internal]
    assert not [n for n in want if n not in ns], "missing from `from fastbert import *`"
    assert not [n for n in m.__all__ if n in ns and ns[n] is getattr(m, n) and (mod == 'testing' or n in fastbert._internal)], "test helpers or internals in `from fastbert import *`"

def test_fastai_text_names_and_no_module_names():
    ns,fta = star(),importlib.import_module('fastai.text.all')
    for n in ('DataBlock', 'ColReader', 'CategoryBlock', 'MultiCategoryBlock', 'RandomSplitter', 'load_learner', 'Interpretation', 'TextDataLoaders', 'Learner'):
        assert ns[n] is getattr(fta, n), n
    assert not {'tiny_bert', 'tiny_tok', 'sweep_tmp', 'vocab_hash', 'cli_parser', 'evaluate', 'decide', 'int8', 'offline', 'core', 'data', 'testing', 'cli'} & set(ns)
    assert ns['FocalLossFlat'].__module__ == 'fastbert.losses'  # fastbert's, whose class weights follow the device, over fastai's

def test_every_module_is_reexported():
    import pkgutil
    found = {m.name for m in pkgutil.iter_modules(fastbert.__path__) if not m.name.startswith('_')}
    assert found <= set(mods), f"modules not listed here and in fastbert/__init__.py: {found - set(mods)}"

def test_star_import_in_a_fresh_process():
    "The README's `from fastbert import *` then fastai's names, as a new user types them"
    code = "from fastbert import *; DataBlock, ColReader, CategoryBlock, load_learner, Interpretation, BertDataLoaders, ulmfit"
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]

@pytest.mark.parametrize('mod', ['fastbert', 'fastbert.cli'])
def test_python_m_runs_the_command_quietly(mod):
    "`python -m fastbert` and `python -m fastbert.cli` (the torchrun and accelerate lines of the guide) answer with no warning first (runpy's 'found in sys.modules')"
    r = subprocess.run([sys.executable, '-m', mod, '--version'], capture_output=True, text=True)
    assert (r.returncode, r.stdout.strip(), r.stderr) == (0, f'fastbert {fastbert.__version__}', '')
    r = subprocess.run([sys.executable, '-m', mod, 'predict', 'no_such_folder', 'x.csv'], capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.count('\n') == 1 and r.stderr.startswith('fastbert predict: error:'), r.stderr
