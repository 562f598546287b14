"""Fine-tune BERT-family models in fastai the ULMFiT way. `from fastbert import *` gives what `from fastai.text.all import *` gives
and fastbert's public names; test helpers (`fastbert.testing`) and internals stay importable from their modules."""
__version__ = "0.0.1"

import warnings
# torch 2.14 warns on every `torch.jit.script` that fastai and transformers call at import; it is not the user's to fix
warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated', category=FutureWarning)

from fastai.text.all import *
from .core import *
from .distrib import *
from .data import *
from .metrics import *
from .losses import *
from .decide import *
from .models import *
from .learner import *
from .interpret import *
from .ulmfit import *
from .infer import *
from .cli import *

def _public()->list:
    "fastai's text names, then each fastbert module's `__all__` less its internals and generic words (see `_internal`)"
    import importlib, fastai.text.all as fta
    mods = ('core', 'distrib', 'data', 'metrics', 'losses', 'decide', 'models', 'learner', 'interpret', 'ulmfit', 'infer', 'cli')
    ours = [n for m in mods for n in importlib.import_module(f'{__name__}.{m}').__all__]
    return list(dict.fromkeys([n for n in dir(fta) if not n.startswith('_') and n not in mods] + [n for n in ours if n not in _internal]))

_internal = {'ckpt_dirs', 'ckpt_names', 'default_ckpt', 'hf_load', 'offline',  # core
             'distributed', 'on_cpu', 'sum_ranks', 'rank0_compute', 'rank0_write', 'sweep_tmp', 'replace_whole', 'merge_into', 'cpu_bf16', 'precisions',  # distrib
             'truncs', 'tasks', 'check_tok', 'max_len_of', 'tl_inputs', 'TensorMasked', 'text_lens', 'PadRight', 'lm_blocks', 'n_ids', 'word_starts',
             'csv_text_kw', 'csv_comp', 'strat_splitter',  # data
             'auc_boot', 'picked',  # metrics
             'class_kind', 'train_targets', 'train_counts', 'WeightedBCE', 'FocalCE',  # losses
             'check_thresh',  # decide
             'archs', 'pools', 'win_pools', 'Arch', 'arch_of', 'blocks_of', 'quiet_hf', 'load_hf', 'new_head_warning',  # models
             'tok_keys', 'dls_tfm', 'atomic_save', 'vocab_hash', 'PickMasked', 'acc_multi', 'changed_params', 'infer_dls', 'int8',  # learner
             'lm_heads', 'check_lm', 'clas_lr', 'decide',  # ulmfit
             'txt_files', 'write_csv', 'evaluate', 'cli_parser'}  # cli

__all__ = _public()
import fastai.text.all as _fta
for _n in _internal & set(dir(_fta)): globals()[_n] = getattr(_fta, _n) # a fastai name keeps fastai's meaning (fastcore's `atomic_save`)
