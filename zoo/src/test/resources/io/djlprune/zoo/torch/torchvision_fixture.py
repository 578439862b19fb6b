"""Writes a torchvision fixture for the Java import tests (run with Debian's /usr/bin/python3 and python3-torch).

usage: torchvision_fixture.py ARCH CLASSES SEED BATCH SIZE OUTDIR

OUTDIR receives state_dict.pt (torch.save of the model's state_dict), input.bin and output.bin (float32,
little-endian, shapes BATCH x 3 x SIZE x SIZE and BATCH x CLASSES) of the model in eval mode. Weights are
torchvision's random initialisation with a fixed seed; BatchNorm affine parameters are randomised and the running
statistics measured on random batches (as training would leave them), and linear biases that torchvision initialises
to zero (VGG, MobileNetV2) are randomised too, so that every tensor of the file matters to the output and activations
keep a trained network's scale.
"""
import sys

import torch
import torchvision

arch, classes, seed, batch, size, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), sys.argv[6]
torch.manual_seed(seed)
model = getattr(torchvision.models, arch)(weights=None, num_classes=classes)
with torch.no_grad():
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.weight.uniform_(0.5, 1.5)
            module.bias.uniform_(-0.2, 0.2)
            module.reset_running_stats()
            module.momentum = None  # cumulative average over the calibration batches
        if isinstance(module, torch.nn.Linear) and bool((module.bias == 0).all()):
            module.bias.uniform_(-0.2, 0.2)
    model.train()
    for _ in range(4):
        model(torch.randn(8, 3, size, size))
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.num_batches_tracked.fill_(seed)
model.eval()
x = torch.randn(batch, 3, size, size)
with torch.no_grad():
    y = model(x)
torch.save(model.state_dict(), out + "/state_dict.pt")
x.numpy().astype("<f4").tofile(out + "/input.bin")
y.numpy().astype("<f4").tofile(out + "/output.bin")
print("max |output|", float(y.abs().max()))
