/**
 * TorchScript export of DJL block trees: {@link io.djlprune.export.TorchScriptWriter} writes an initialised block as a
 * {@code .pt} archive that LibTorch, Python PyTorch and DJL's PyTorch engine load natively, and
 * {@link io.djlprune.export.TorchScriptVerifier} proves an export by loading it back through LibTorch
 * ({@link io.djlprune.engine.LoadedTorchScript}) and comparing outputs with the block.
 *
 * <p>The archive is written directly (DJL cannot trace or script from Java), one concern per class: the pickle subset
 * LibTorch reads ({@code PickleWriter}, {@code DataPickler}), the zip container ({@code ArchiveWriter}), the
 * TorchScript source ({@code ModuleClass}, {@code ClassRegistry}, {@code AtenCalls}), and the walk of the DJL tree
 * ({@code ModuleTreeBuilder}, {@code LeafModules}). The format facts are in {@code docs/TORCHSCRIPT.md}.
 *
 * <p>This package depends on {@link io.djlprune.engine} and never the reverse: reading an archive back is the
 * engine's job (a server loads it the same way), so the verifier uses the engine package's loader and the engine
 * package knows nothing of the writer.
 */
package io.djlprune.export;
