__version__ = "0.0.1"

from .core import *
from .testing import *
from .data import *
