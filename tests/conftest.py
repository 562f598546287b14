import os, sys
from pathlib import Path
import pytest

os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
root = Path(__file__).resolve().parents[1]

def tool(name):
    "Path of the console script `name` installed beside this Python"
    p = Path(sys.executable).parent/name
    if not p.exists(): pytest.fail(f"{name} is not installed beside {sys.executable}: run `make install`")
    return str(p)

@pytest.fixture(scope='session')
def shared_data():
    "The folder of real data sets shared with the project (../shared/data, or $FASTBERT_DATA)"
    p = Path(os.environ.get('FASTBERT_DATA', root.parent/'shared'/'data'))
    if not p.is_dir():
        msg = f"no shared data folder at {p} (set FASTBERT_DATA)"
        if os.environ.get('CI'): pytest.fail(msg + ": CI must run the real-data tests")
        pytest.skip(msg)
    return p
