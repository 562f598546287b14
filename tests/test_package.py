"The package's public surface."
import importlib
import pytest

mods = ['core', 'distrib', 'testing', 'data', 'metrics', 'losses', 'decide', 'models', 'learner', 'interpret', 'ulmfit', 'infer', 'cli']

@pytest.mark.parametrize('mod', mods)
def test_star_import_gives_every_public_name(mod):
    ns = {}
    exec('from fastbert import *', ns)
    m = importlib.import_module(f'fastbert.{mod}')
    assert m.__all__, f"fastbert.{mod} exports nothing"
    assert not [n for n in m.__all__ if n not in ns], f"missing from `from fastbert import *`"

def test_every_module_is_reexported():
    import fastbert, pkgutil
    found = {m.name for m in pkgutil.iter_modules(fastbert.__path__) if not m.name.startswith('_')}
    assert found <= set(mods), f"modules not listed here and in fastbert/__init__.py: {found - set(mods)}"
