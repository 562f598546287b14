import os, sys
from pathlib import Path
import pytest

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
root = Path(__file__).resolve().parents[1]
data = root/'data' # the real data sets bundled with the project (data/README.md)

def tool(name):
    "Path of the console script `name` installed beside this Python"
    p = Path(sys.executable).parent/name
    if not p.exists(): pytest.fail(f"{name} is not installed beside {sys.executable}: run `make install`")
    return str(p)
