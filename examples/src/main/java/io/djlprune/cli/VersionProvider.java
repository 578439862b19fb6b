package io.djlprune.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports djl-prune's version and the DJL and LibTorch versions it was built against. */
public final class VersionProvider implements IVersionProvider {

    /** {@inheritDoc} */
    @Override
    public String[] getVersion() {
        String version = DjlPrune.class.getPackage().getImplementationVersion();
        return new String[] {
            "djl-prune " + (version == null ? "(development build)" : version),
            "DJL 0.35.0, LibTorch 2.7.1 (PyTorch engine)"
        };
    }
}
