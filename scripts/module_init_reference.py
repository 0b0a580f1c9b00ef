"""Checks the formulas of Tangent's module initialisers against torch.nn.init, and the BatchNorm
trap the Modules article describes (run by hand).

Tangent's tests do not depend on torch: they check the bounds and standard deviations below,
which this script shows PyTorch's initialisers reach. Run with /work/venv-bench/bin/python.
"""
import math

import torch

torch.manual_seed(0)
w = torch.empty(2000, 300)
torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))
print("kaiming_uniform a=sqrt5: max", w.abs().max().item(), "bound 1/sqrt(fan_in)", 1 / math.sqrt(300))
lin = torch.nn.Linear(300, 2000)
print("Linear: weight max", lin.weight.abs().max().item(), "bias max", lin.bias.abs().max().item())
c = torch.nn.Conv2d(6, 8, (3, 2), groups=2)
print("Conv2d groups=2: weight max", c.weight.abs().max().item(), "bound", 1 / math.sqrt(18), "bias max", c.bias.abs().max().item())
torch.nn.init.kaiming_normal_(w)
print("kaiming_normal: std", w.std().item(), "formula sqrt(2)/sqrt(fan_in)", math.sqrt(2) / math.sqrt(300))
torch.nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")
print("kaiming_normal fan_out relu: std", w.std().item(), "formula", math.sqrt(2) / math.sqrt(2000))
torch.nn.init.xavier_uniform_(w, gain=2)
print("xavier_uniform gain 2: max", w.abs().max().item(), "formula", 2 * math.sqrt(6 / 2300))
torch.nn.init.xavier_normal_(w)
print("xavier_normal: std", w.std().item(), "formula", math.sqrt(2 / 2300))
print("gains linear, sigmoid, tanh, relu, selu:", [torch.nn.init.calculate_gain(n) for n in ["linear", "sigmoid", "tanh", "relu", "selu"]])
print("gain leaky_relu 0.2, default:", torch.nn.init.calculate_gain("leaky_relu", 0.2), torch.nn.init.calculate_gain("leaky_relu"))
m = torch.nn.MultiheadAttention(8, 2)
print("MultiheadAttention:", {k: (tuple(v.shape), v.abs().max().item()) for k, v in m.state_dict().items()}, "xavier bound", math.sqrt(6 / 32))
print("BatchNorm1d state dict:", list(torch.nn.BatchNorm1d(3).state_dict().keys()))
e = torch.nn.Embedding(10, 4, padding_idx=2)
print("Embedding padding row:", e.weight[2].tolist())
print("Sequential names:", [n for n, _ in torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).named_parameters()])

# The BatchNorm trap the Modules article describes: torch.func transforms through BatchNorm in
# training mode stop with an error (the forward pass updates the running statistics in place).
from torch.func import functional_call, grad, jacrev

m = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3))
x = torch.randn(8, 3)
p = dict(m.named_parameters())
for name, transform in [("grad", lambda: grad(lambda q: functional_call(m, q, (x,)).sum())(p)),
                        ("jacrev", lambda: jacrev(lambda q: functional_call(m, q, (x,)))(p))]:
    try:
        transform()
        print(name, "through BatchNorm in training mode: ran")
    except RuntimeError as e:
        print(name, "through BatchNorm in training mode: RuntimeError:", str(e)[:120])
