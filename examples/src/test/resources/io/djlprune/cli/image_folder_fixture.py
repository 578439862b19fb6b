"""Image-folder fixtures for djl-prune's tests, made with Debian's python3-torch, python3-torchvision and PIL.

  make DIR CLASSES TRAIN VAL TEST SEED    draw a small learnable image folder (PNG; VAL or TEST 0: no such folder)
  tensors DIR SPLIT SIZE RESIZE OUT       torchvision's eval transforms of every image of DIR/SPLIT, float32 to OUT
  train DIR SIZE RESIZE STEPS SEED OUT    train a torchvision resnet18 a few steps, save its state_dict to OUT and
                                          OUT.json: accuracy, logits and labels on test/ (val/ without test/)
  jit PT DIR SIZE RESIZE                  print the accuracy of a TorchScript file on DIR/test and its classes.json
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision import transforms

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def draw(rng, label, classes):
    width, height = int(rng.integers(40, 97)), int(rng.integers(40, 97))
    base = np.zeros((height, width, 3), np.float32)
    base[..., label % 3] = 160.0
    # a class-specific stripe orientation on top of the colour
    yy, xx = np.mgrid[0:height, 0:width]
    stripes = np.sin((xx if label % 2 == 0 else yy) * (0.3 + 0.2 * label)) * 50.0
    pixels = base + stripes[..., None] + rng.normal(0, 30, (height, width, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def make(root, classes, counts, seed):
    rng = np.random.default_rng(seed)
    index = 0
    for split, count in zip(("train", "val", "test"), counts):
        if count == 0:
            continue
        for label in range(classes):
            folder = os.path.join(root, split, "class_%c" % (ord("a") + label))
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                image = draw(rng, label, classes)
                index += 1
                if index % 7 == 3:
                    image = image.convert("L")          # grey: torchvision's loader repeats it in R, G, B
                elif index % 11 == 5:
                    image = image.convert("P")          # palette
                image.save(os.path.join(folder, "%03d.png" % i))


def evaluation(size, resize):
    return transforms.Compose([
        transforms.Resize(resize), transforms.CenterCrop(size), transforms.ToTensor(),
        transforms.Normalize(MEAN, STD)])


def folder(root, split, size, resize):
    return torchvision.datasets.ImageFolder(os.path.join(root, split), evaluation(size, resize))


def tensors(root, split, size, resize, out):
    data = folder(root, split, size, resize)
    stacked = torch.stack([data[i][0] for i in range(len(data))])
    stacked.numpy().astype("<f4").tofile(out)


def accuracy(model, data):
    loader = torch.utils.data.DataLoader(data, batch_size=32, shuffle=False)
    logits, labels = [], []
    with torch.no_grad():
        for x, y in loader:
            logits.append(model(x))
            labels.append(y)
    logits, labels = torch.cat(logits), torch.cat(labels)
    return (logits.argmax(1) == labels).float().mean().item(), logits, labels


def train(root, size, resize, steps, seed, out):
    torch.manual_seed(seed)
    data = folder(root, "train", size, resize)
    model = torchvision.models.resnet18(num_classes=len(data.classes))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loader = torch.utils.data.DataLoader(data, batch_size=16, shuffle=True)
    model.train()
    done = 0
    while done < steps:
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
            done += 1
            if done == steps:
                break
    model.eval()
    torch.save(model.state_dict(), out)
    split = "test" if os.path.isdir(os.path.join(root, "test")) else "val"
    acc, logits, labels = accuracy(model, folder(root, split, size, resize))
    with open(out + ".json", "w") as f:
        json.dump({"split": split, "accuracy": acc, "classes": data.classes,
                   "logits": logits.flatten().tolist(), "labels": labels.tolist()}, f)


def jit(pt, root, size, resize):
    extra = {"classes.json": ""}
    model = torch.jit.load(pt, _extra_files=extra)
    model.eval()
    acc, _, _ = accuracy(model, folder(root, "test", size, resize))
    print(json.dumps({"accuracy": acc, "classes": json.loads(extra["classes.json"])}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    torch.set_num_threads(1)
    if command == "make":
        make(args[0], int(args[1]), [int(a) for a in args[2:5]], int(args[5]))
    elif command == "tensors":
        tensors(args[0], args[1], int(args[2]), int(args[3]), args[4])
    elif command == "train":
        train(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]), args[5])
    elif command == "jit":
        jit(args[0], args[1], int(args[2]), int(args[3]))
    else:
        raise SystemExit("unknown command " + command)
