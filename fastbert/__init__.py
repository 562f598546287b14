"""Fine-tune BERT-family models in fastai the ULMFiT way. `from fastbert import *` gives what `from fastai.text.all import *` gives
and fastbert's public names; test helpers (`fastbert.testing`) and internals stay importable from their modules.
`import fastbert` itself is light: torch, fastai and the modules load at the first name asked for (so `fastbert --help` is quick)."""
__version__ = "0.0.1"

import warnings
# torch 2.14 warns on every `torch.jit.script` that fastai and transformers call at import; it is not the user's to fix
warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated', category=FutureWarning)

_mods = ('core', 'distrib', 'data', 'metrics', 'losses', 'decide', 'models', 'learner', 'interpret', 'ulmfit', 'infer', 'command', 'cli')
_internal = {'ckpt_dirs', 'ckpt_names', 'default_ckpt', 'hf_load', 'offline',  # core
             'distributed', 'on_cpu', 'sum_ranks', 'rank0_compute', 'rank0_write', 'sweep_tmp', 'replace_whole', 'merge_into', 'trim_heap', 'cpu_bf16', 'precisions',  # distrib
             'truncs', 'tasks', 'check_tok', 'max_len_of', 'tl_inputs', 'TensorMasked', 'text_lens', 'PadRight', 'lm_blocks', 'n_ids', 'word_starts',
             'csv_text_kw', 'csv_comp', 'strat_splitter', 'pick_rows',  # data
             'auc_boot', 'picked',  # metrics
             'class_kind', 'train_targets', 'train_counts', 'WeightedBCE', 'FocalCE',  # losses
             'check_thresh',  # decide
             'archs', 'pools', 'win_pools', 'Arch', 'arch_of', 'blocks_of', 'quiet_hf', 'load_hf', 'new_head_warning',  # models
             'tok_keys', 'dls_tfm', 'atomic_save', 'vocab_hash', 'PickMasked', 'CopyPreds', 'acc_multi', 'changed_params', 'infer_dls', 'int8',  # learner
             'lm_heads', 'check_lm', 'clas_lr', 'decide',  # ulmfit
             'txt_files', 'write_csv', 'evaluate',  # cli
             'user_warn',  # core
             'cli_parser', 'main'}  # command
_loaded = False

def _load():
    "Bind fastai's text names, then each fastbert module's `__all__`, here, as `from ... import *` of each would (once)"
    global _loaded, __all__
    if _loaded: return
    _loaded = True
    import importlib
    g,fta = globals(),importlib.import_module('fastai.text.all')
    g.update({n: getattr(fta, n) for n in dir(fta) if not n.startswith('_')})
    ours = []
    for m in map(importlib.import_module, [f'{__name__}.{o}' for o in _mods]):
        g.update({n: getattr(m, n) for n in m.__all__}); ours += m.__all__
    for n in _internal & set(dir(fta)): g[n] = getattr(fta, n)  # a fastai name keeps fastai's meaning (fastcore's `atomic_save`)
    __all__ = list(dict.fromkeys([n for n in dir(fta) if not n.startswith('_') and n not in _mods] + [n for n in ours if n not in _internal]))

def __getattr__(name):
    "Load everything at the first public name (or `__all__`) asked for; submodules import as usual"
    if name.startswith('__') and name != '__all__': raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _load()
    try: return globals()[name]
    except KeyError: raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None

import sys as _sys, types as _types
class _Pkg(_types.ModuleType):
    "This package: the submodules `ulmfit` and `decide` are imported as usual but the names mean the functions (`from fastbert import ulmfit`)"
    def __setattr__(self, name, value):
        if name in ('ulmfit', 'decide') and isinstance(value, _types.ModuleType): return
        super().__setattr__(name, value)
_sys.modules[__name__].__class__ = _Pkg
