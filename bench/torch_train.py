#!/usr/bin/python3
"""One MNIST epoch of handnet's two presets in PyTorch on the CPU (float32), the peer for `handnet train`.

Written as a PyTorch user writes it: nn.Linear layers, autograd, torch.optim.SGD, batch rows
indexed out of tensors. The modern preset is exactly handnet's math (softmax + cross-entropy
through F.cross_entropy). The tutorial head, y = s / rowsum(s) with s = sigmoid(z) (as softmax(log s), like handnet) and MSE, is
differentiated by autograd, which includes the normalisation's Jacobian that the tutorial's
update dZ = (y - t)/m * y (1 - y) leaves out: slightly different gradients, the same work to time.

    /usr/bin/python3 bench/torch_train.py [--threads 1,2] [--preset tutorial,modern] [--quick] [--json FILE]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

# Debian's torch runs its GEMMs in the pthread OpenBLAS, beside its own OpenMP threads. By default
# those OpenMP threads spin after each parallel region, taking the cores OpenBLAS's threads need:
# here that made a 2-thread modern epoch 20 times slower than a 1-thread one. Passive waiting
# (read when libgomp loads, so before torch is imported) lets the two pools share the cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402


def tutorial_loss(z, t, labels):
    """y = s / rowsum(s), s = sigmoid(z), as softmax(log s) (handnet's form, which cannot give 0/0);  L = (1/2m) sum (y - t)^2."""
    y = torch.softmax(F.logsigmoid(z), dim=1)
    return ((y - t) ** 2).sum() / (2 * len(z))


def cross_entropy_loss(z, t, labels):
    """L = -(1/m) sum log softmax(z)[label]."""
    return F.cross_entropy(z, labels)


LOSSES = {"tutorial": tutorial_loss, "ce": cross_entropy_loss}


def network(preset, generator):
    """784-100-10 with a sigmoid hidden layer, initialised as the preset says."""
    net = nn.Sequential(nn.Linear(784, common.HIDDEN), nn.Sigmoid(), nn.Linear(common.HIDDEN, 10))
    with torch.no_grad():
        for layer in (net[0], net[2]):
            if preset.init == "normal":
                layer.weight.normal_(0, 1, generator=generator)
            else:
                r = (6.0 / (layer.in_features + layer.out_features)) ** 0.5  # Glorot uniform
                layer.weight.uniform_(-r, r, generator=generator)
            layer.bias.fill_(preset.bias)
    return net


def make_run(seed):
    """make_run for common.train_presets: torch and OpenBLAS at the given thread count, a fresh network."""
    def run(preset, data, threads):
        torch.set_num_threads(threads)
        common.set_openblas_threads(threads)
        x, t, x_test, labels_test = (torch.from_numpy(a) for a in data)
        labels = t.argmax(dim=1)
        generator = torch.Generator().manual_seed(seed)
        net = network(preset, generator)
        loss_of = LOSSES[preset.head]
        optimizer = torch.optim.SGD(net.parameters(), lr=preset.lr)

        def epoch():
            if preset.batching == "random":
                batches = torch.randint(len(x), (preset.steps, preset.batch), generator=generator)
            else:
                batches = torch.randperm(len(x), generator=generator).split(preset.batch)
            total = 0.0
            for rows in batches:
                optimizer.zero_grad()
                loss = loss_of(net(x[rows]), t[rows], labels[rows])
                loss.backward()
                optimizer.step()
                total += loss.item()
            return total / len(batches)

        def accuracy():
            with torch.no_grad():
                return (net(x_test).argmax(dim=1) == labels_test).float().mean().item()

        return epoch, accuracy
    return run



def main():
    p = common.training_arguments(__doc__.split("\n")[0])
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default %(default)s)")
    args = p.parse_args()
    common.train_presets("torch", args, [int(n) for n in args.threads.split(",")], make_run(args.seed),
                         omp_wait_policy=os.environ["OMP_WAIT_POLICY"].lower())


if __name__ == "__main__":
    main()
