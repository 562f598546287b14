"""The README's quickstart runs as written: its ```python blocks in one Python process and its ```sh blocks in bash, in a folder laid out
like the repository, on tiny data (200 rows of each bundled Jigsaw file) with a tiny random BERT standing for the short model names.
Blocks marked ```bash (installing, developing) are not run."""
import os, re, subprocess, sys
from pathlib import Path
import pandas as pd, pytest
from conftest import root, data
from fastbert.testing import tiny_ckpt, tiny_tok

readme = (root/'README.md').read_text()
def blocks(lang): return re.findall(rf'^```{lang}\n(.*?)^```', readme, re.S | re.M)

@pytest.fixture(scope='module')
def repo(tmp_path_factory):
    "A folder with the layout the README assumes: data/jigsaw with 200 rows of each file, and the tiny BERT as 'splade-tiny'"
    d = tmp_path_factory.mktemp('readme')
    (d/'data'/'jigsaw').mkdir(parents=True)
    for f in ('train.csv.gz', 'test.csv.gz'): pd.read_csv(data/'jigsaw'/f).head(200).to_csv(d/'data'/'jigsaw'/f, index=False)
    tiny_ckpt(d/'splade-tiny', tok=tiny_tok(max_len=512))  # a folder of that name in the working directory wins over the short name
    return d

def test_readme_has_its_parts():
    heads = re.findall(r'^## (.+)$', readme, re.M)
    assert heads[:3] == ['Install', 'Quickstart', 'What it does'] and heads[-1] == 'Develop', heads
    assert len(readme.encode()) < 12_000 and len(blocks('python')) >= 2 and len(blocks('sh')) == 1

def test_python_blocks_run(repo):
    code = '\n'.join(blocks('python'))
    r = subprocess.run([sys.executable, '-c', code], cwd=repo, capture_output=True, text=True, env={**os.environ, 'HF_HUB_OFFLINE': '1'})
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]
    assert (repo/'toxic_model'/'README.md').is_file() and 'tfidf baseline' in r.stdout

def test_shell_block_runs(repo):
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'PATH': f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    r = subprocess.run(['bash', '-e', '-c', blocks('sh')[0]], cwd=repo, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]
    assert len(pd.read_csv(repo/'predictions.csv')) == 200 and 'positives' in r.stdout
