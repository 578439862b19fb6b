/**
 * TorchScript export of DJL block trees: {@link io.djlprune.export.TorchScriptWriter} writes an initialised block as a
 * {@code .pt} archive that LibTorch, Python PyTorch and DJL's PyTorch engine load natively, and
 * {@link io.djlprune.export.TorchScriptVerifier} proves an export by loading it back through LibTorch
 * ({@link io.djlprune.export.LoadedTorchScript}) and comparing outputs with the block.
 *
 * <p>The archive is written directly (DJL cannot trace or script from Java), one concern per class: the pickle subset
 * LibTorch reads ({@code PickleWriter}, {@code DataPickler}), the zip container ({@code ArchiveWriter}), the
 * TorchScript source ({@code ModuleClass}, {@code ClassRegistry}, {@code AtenCalls}), and the walk of the DJL tree
 * ({@code ModuleTreeBuilder}, {@code LeafModules}). The format facts are in {@code docs/TORCHSCRIPT.md}.
 */
package io.djlprune.export;
