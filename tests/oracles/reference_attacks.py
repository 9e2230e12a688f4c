"""The reference libraries' attacks on a robustlab model, on the test images robustlab attacked,
written as JSON for tests/test_oracles.cpp to compare with robustlab's numbers:
    reference_attacks.py MODEL.pt PER_EXAMPLE.csv OUT.json AUTO_EXAMPLES
PER_EXAMPLE.csv is robustlab attack's --per-example output: it names the test images (their
positions in the test file) and the radii (linf attacks: fgsm rows; l2: fgm rows). AutoAttack
runs on the first AUTO_EXAMPLES of them, as robustlab's auto does with --examples AUTO_EXAMPLES. Pinned:
torchattacks 3.5.1, adversarial-robustness-toolbox 1.20.1 (scripts/reference-libraries.sh).
"""
import csv
import json
import sys

import numpy as np
import torch
import torchattacks
from art.attacks.evasion import AutoProjectedGradientDescent, FastGradientMethod
from art.estimators.classification import PyTorchClassifier

import fashion_mnist
import robustlab_model

torch.set_num_threads(1)
model_path, per_example_path, out_path, auto_examples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
model = robustlab_model.load(model_path)

rows = list(csv.DictReader(open(per_example_path)))
first = (rows[0]["attack"], rows[0]["eps"])
indices = [int(r["example"]) for r in rows if (r["attack"], r["eps"]) == first]
linf_eps = sorted({float(r["eps"]) for r in rows if r["attack"] == "fgsm" and float(r["eps"]) > 0})
l2_eps = sorted({float(r["eps"]) for r in rows if r["attack"] == "fgm" and float(r["eps"]) > 0})
images, labels = fashion_mnist.test_set()
x, y = images[indices], labels[indices]
assert [int(r["label"]) for r in rows if (r["attack"], r["eps"]) == first] == y.tolist()
assert 0 < auto_examples <= len(indices), f"AUTO_EXAMPLES {auto_examples}: the per-example file names {len(indices)}"


def accuracy(x_adv, labels=y):
    with torch.no_grad():
        return (model(x_adv).argmax(1) == labels).double().mean().item()


def predictions(x_adv):
    with torch.no_grad():
        return model(x_adv).argmax(1).tolist()


art_model = PyTorchClassifier(model, loss=torch.nn.CrossEntropyLoss(), input_shape=(1, 28, 28), nb_classes=10,
                              clip_values=(0.0, 1.0), device_type="cpu")
x_np, y_np = x.numpy().astype(np.float32), y.numpy()


def art_accuracy(x_adv):
    return float((art_model.predict(x_adv).argmax(1) == y_np).mean())


results = {"clean": accuracy(x), "examples": len(indices), "auto_examples": auto_examples, "linf": {}, "l2": {}}
for eps in linf_eps:
    np.random.seed(0)
    r = {}
    fgsm = torchattacks.FGSM(model, eps=eps)(x, y)
    r["fgsm_predicted"], r["fgsm"] = predictions(fgsm), accuracy(fgsm)
    r["pgd"] = accuracy(torchattacks.PGD(model, eps=eps, alpha=eps / 4, steps=10, random_start=False)(x, y))
    r["pgd_random_start"] = accuracy(torchattacks.PGD(model, eps=eps, alpha=eps / 4, steps=10, random_start=True)(x, y))
    r["apgd_ce"] = accuracy(torchattacks.APGD(model, norm="Linf", eps=eps, steps=20, n_restarts=1, loss="ce", seed=0)(x, y))
    r["art_apgd_ce"] = art_accuracy(AutoProjectedGradientDescent(
        art_model, norm=np.inf, eps=eps, eps_step=2 * eps, max_iter=20, nb_random_init=1, batch_size=len(indices),
        loss_type="cross_entropy", verbose=False).generate(x_np, y_np))
    r["apgd_t"] = accuracy(torchattacks.APGDT(model, norm="Linf", eps=eps, steps=20, n_restarts=1, n_classes=10,
                                              seed=0)(x, y))
    r["square"] = accuracy(torchattacks.Square(model, norm="Linf", eps=eps, n_queries=1000, n_restarts=1, seed=0)(x, y))
    x_auto, y_auto = x[:auto_examples], y[:auto_examples]
    r["autoattack"] = accuracy(torchattacks.AutoAttack(model, norm="Linf", eps=eps, version="standard", n_classes=10,
                                                       seed=0)(x_auto, y_auto), y_auto)
    results["linf"][repr(eps)] = r
for eps in l2_eps:
    r = {}
    fgm = FastGradientMethod(art_model, norm=2, eps=eps, batch_size=len(indices)).generate(x_np, y_np)
    with torch.no_grad():
        r["fgm_predicted"] = model(torch.from_numpy(fgm)).argmax(1).tolist()
    r["fgm"] = art_accuracy(fgm)
    r["pgd"] = accuracy(torchattacks.PGDL2(model, eps=eps, alpha=eps / 4, steps=10, random_start=False)(x, y))
    r["pgd_random_start"] = accuracy(torchattacks.PGDL2(model, eps=eps, alpha=eps / 4, steps=10, random_start=True)(x, y))
    results["l2"][repr(eps)] = r
json.dump(results, open(out_path, "w"), indent=1)
