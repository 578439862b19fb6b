/**
 * Contains the import of weights trained with PyTorch: {@link io.djlprune.zoo.torch.TorchStateDict} reads the archive
 * {@code torch.save(model.state_dict(), f)} writes, in pure Java, through a restricted unpickler that builds plain
 * values and tensor references from an allow-list of opcodes and globals and refuses everything else (a pickle can
 * otherwise run arbitrary code); {@link io.djlprune.zoo.torch.TorchvisionImport} loads such a state_dict into the
 * zoo's torchvision-structured blocks by torchvision's parameter names, refusing any mismatch with the full list.
 *
 * <p>The package lives in the zoo, not in the library: it serves the zoo's torchvision architectures, and the library
 * prunes blocks whatever their weights came from. See {@code docs/IMPORT.md}.
 */
package io.djlprune.zoo.torch;
