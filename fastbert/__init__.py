__version__ = "0.0.1"

import warnings
# torch 2.14 warns on every `torch.jit.script` that fastai and transformers call at import; it is not the user's to fix
warnings.filterwarnings('ignore', message='`torch.jit.script` is deprecated', category=FutureWarning)

from .core import *
from .distrib import *
from .testing import *
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
