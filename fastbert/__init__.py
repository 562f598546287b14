__version__ = "0.0.1"

from .core import *
from .testing import *
from .data import *
from .metrics import *
from .models import *
from .learner import *
