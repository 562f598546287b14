"`python -m fastbert ...` runs the `fastbert` command (as `torchrun -m fastbert` and `accelerate launch -m fastbert` need)"
from fastbert.command import main
main()
