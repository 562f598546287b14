"The notebooks are the source and the tests of the library: run each with nbdev's runner, and check the generated files are in sync."
import shutil, subprocess, filecmp
from pathlib import Path
import pytest
from conftest import root, tool

nbs = sorted((root/'nbs').glob('*.ipynb'))

@pytest.mark.parametrize('nb', nbs, ids=[o.stem for o in nbs])
def test_notebook(nb):
    r = subprocess.run([tool('nbdev-test'), str(nb)], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-5000:] + r.stderr[-5000:]

def _tracked(): return subprocess.run(['git', 'ls-files'], cwd=root, capture_output=True, text=True, check=True).stdout.split()

def test_export_and_clean_change_nothing(tmp_path):
    "`nbdev-export` and `nbdev-clean`, run on a copy of the tracked files, leave every file as committed"
    files = [f for f in _tracked() if (root/f).exists()]
    for f in files:
        (tmp_path/f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root/f, tmp_path/f)
    for cmd in ('nbdev-export', 'nbdev-clean'):
        r = subprocess.run([tool(cmd)], cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-3000:]
    changed = [f for f in files if not filecmp.cmp(root/f, tmp_path/f, shallow=False)]
    new = [str(p.relative_to(tmp_path)) for p in tmp_path.rglob('*') if p.is_file() and str(p.relative_to(tmp_path)) not in files]
    assert not changed, f"nbdev-export/nbdev-clean change {changed}: run them and commit"
    assert not [f for f in new if '__pycache__' not in f], f"nbdev-export/nbdev-clean write untracked files {new}"
