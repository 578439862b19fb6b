package io.djlprune.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.data.DataSplits;
import io.djlprune.zoo.torch.TorchvisionImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --weights FILE}: start from a PyTorch state_dict ({@code torch.save(model.state_dict(), FILE)}) of a
 * torchvision architecture, read by {@link TorchvisionImport} (docs/IMPORT.md).
 */
final class WeightsOption {

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "A torch.save(model.state_dict()) file of a torchvision-* --model to start from"
                    + " (docs/IMPORT.md); needs --dataset imagefolder.")
    Path weights;

    /**
     * Returns whether --weights was given.
     *
     * @return true if a file was given
     */
    boolean given() {
        return weights != null;
    }

    /**
     * Refuses --weights for a model that cannot import it, or with data a torchvision model does not take.
     *
     * @param spec the command
     * @param model the --model name
     * @param data the data options
     * @throws CommandLine.ParameterException naming the problem
     */
    void check(CommandSpec spec, String model, DataOptions data) {
        if (weights == null) {
            return;
        }
        if (!TorchvisionImport.architectures().contains(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weights loads a torchvision state_dict,"
                    + " and '" + model + "' is not a torchvision architecture; use one of "
                    + String.join(", ", TorchvisionImport.architectures()));
        }
        if (data.dataset != DatasetChoice.IMAGEFOLDER) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weights needs --dataset imagefolder:"
                    + " torchvision models take RGB images, and " + data.dataset + " is grey");
        }
        if (!Files.isRegularFile(weights)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weights " + weights + " is not a file");
        }
    }

    /**
     * Imports the state_dict into a new block of the architecture and checks that it has one output per class.
     *
     * @param architecture the torchvision-* model
     * @param data the data the block will see
     * @param manager owns the imported parameters
     * @return the initialised block
     * @throws IOException if the file cannot be read or does not fit the architecture
     * @throws IllegalArgumentException if the model's class count differs from the data's
     */
    Block load(String architecture, DataSplits data, NDManager manager) throws IOException {
        return load(architecture, weights, data, manager);
    }

    /**
     * Imports a state_dict file into a new block of the architecture and checks that it has one output per class.
     *
     * @param architecture the torchvision-* model
     * @param weights the state_dict file
     * @param data the data the block will see
     * @param manager owns the imported parameters
     * @return the initialised block
     * @throws IOException if the file cannot be read or does not fit the architecture
     * @throws IllegalArgumentException if the model's class count differs from the data's
     */
    static Block load(String architecture, Path weights, DataSplits data, NDManager manager) throws IOException {
        Block block = TorchvisionImport.load(architecture, weights, manager);
        long outputs = block.getOutputShapes(new Shape[] {data.batchShape(1)})[0].get(1);
        if (outputs != data.classes()) {
            throw new IllegalArgumentException(weights + " is a " + architecture + " with " + outputs
                    + " classes (its last layer has " + outputs + " outputs), but the data has " + data.classes()
                    + " classes " + data.classNames() + "; give weights trained on these classes, or the data"
                    + " they were trained on");
        }
        return block;
    }
}
