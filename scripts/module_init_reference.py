"""Checks the formulas of Tangent's module initialisers against torch.nn.init (run by hand).

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
