"""torchattacks' speed on a robustlab model and images, for bench/bench_attack_speed.cpp: prints
one line per attack, "NAME EXAMPLES_PER_SECOND".
    torchattacks_speed.py MODEL.pt INDICES THREADS     (INDICES: one test-image position per line)"""
import sys
import time

import torch
import torchattacks

sys.path.insert(0, sys.argv[0].rsplit("/", 2)[0] + "/tests/oracles")
import fashion_mnist  # noqa: E402
import robustlab_model  # noqa: E402

model_path, indices_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.set_num_threads(threads)
model = robustlab_model.load(model_path)
indices = [int(line) for line in open(indices_path)]
images, labels = fashion_mnist.test_set()
x, y = images[indices], labels[indices]
eps = 0.1
for name, attack in [("pgd10", torchattacks.PGD(model, eps=eps, alpha=eps / 4, steps=10, random_start=True)),
                     ("apgd100", torchattacks.APGD(model, norm="Linf", eps=eps, steps=100, n_restarts=1, seed=0)),
                     ("square1000", torchattacks.Square(model, norm="Linf", eps=eps, n_queries=1000, seed=0))]:
    start = time.perf_counter()
    attack(x, y)
    print(name, len(indices) / (time.perf_counter() - start), flush=True)
