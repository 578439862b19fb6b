package io.djlprune.zoo.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.zoo.model.TorchvisionArchitecture;
import io.djlprune.zoo.model.TorchvisionModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a torchvision state_dict, as {@code torch.save(model.state_dict(), f)} writes it, into the matching DJL block
 * of the zoo. The class count is the first dimension of the architecture's classifier tensor
 * ({@link TorchvisionArchitecture#classifierWeight()}: {@code fc.weight} for ResNets, {@code classifier.1.weight} for
 * MobileNetV2, {@code classifier.6.weight} for VGG); every tensor is matched by torchvision's name, and any
 * missing, unexpected, mis-shaped or non-float32 tensor is refused with the full list. BatchNorm's
 * {@code num_batches_tracked} counters are skipped: they only matter to momentum-free BatchNorm training in PyTorch.
 */
public final class TorchvisionImport {

    private static final Logger LOG = LoggerFactory.getLogger(TorchvisionImport.class);

    /**
     * The shape the block is initialised for; any 3-channel image size works afterwards (from 32×32 for VGG, see
     * {@link TorchvisionArchitecture#minimumSize()}).
     */
    private static final Shape INIT_SHAPE = new Shape(1, 3, 224, 224);

    private static final String COUNTER = ".num_batches_tracked";

    private TorchvisionImport() {}

    /**
     * Returns the architectures that can be imported, by catalog name.
     *
     * @return the names
     */
    public static Set<String> architectures() {
        Set<String> names = new LinkedHashSet<>();
        TorchvisionArchitecture.all().forEach(a -> names.add(a.name()));
        return Collections.unmodifiableSet(names);
    }

    /**
     * Reads a state_dict file and loads it into a new block of the named architecture.
     *
     * @param architecture one of {@link #architectures()}, e.g. {@code torchvision-resnet50}
     * @param file the file {@code torch.save(model.state_dict(), file)} wrote
     * @param manager owns the parameters of the returned block
     * @return the initialised block, in evaluation semantics when run with training off
     * @throws TorchArchiveException if the file is not a state_dict archive this reader accepts
     * @throws StateDictMismatchException if the tensors do not fit the architecture; lists every mismatch
     * @throws IOException if the file cannot be read
     */
    public static Block load(String architecture, Path file, NDManager manager) throws IOException {
        TorchvisionArchitecture arch = TorchvisionArchitecture.find(architecture).orElseThrow(() ->
                new IllegalArgumentException("Cannot import '" + architecture + "'; importable architectures: "
                        + String.join(", ", architectures()) + "."));
        long start = System.nanoTime();
        try (TorchStateDict dict = TorchStateDict.open(file)) {
            String classifier = arch.classifierWeight();
            if (!dict.names().contains(classifier) || dict.shape(classifier).dimension() != 2
                    || dict.shape(classifier).get(0) < 1) {
                throw new StateDictMismatchException(architecture + " from " + file, List.of(classifier
                        + " (the classifier's weight, classes × features) is missing, not 2-dimensional or empty, so"
                        + " the class count is unknown; is this a " + arch.torchvisionModel() + " state_dict?"));
            }
            int classes = Math.toIntExact(dict.shape(classifier).get(0));
            TorchvisionModel model = arch.factory().apply(classes);
            load(model, dict, manager, architecture + " from " + file);
            LOG.info("Imported {} ({} classes, {} tensors) from {} in {} ms", architecture, classes,
                    model.tensors().size(), file, (System.nanoTime() - start) / 1_000_000);
            return model.block();
        }
    }

    /**
     * Loads a state_dict into an uninitialised torchvision-structured block and initialises it.
     *
     * @param model the block and its torchvision names, uninitialised
     * @param dict the state_dict
     * @param manager owns the loaded parameters
     * @param what names the network and file in messages
     * @throws StateDictMismatchException if the tensors do not fit; lists every mismatch and loads nothing
     * @throws IllegalArgumentException if the block is already initialised
     * @throws IOException if a tensor cannot be read
     */
    public static void load(TorchvisionModel model, TorchStateDict dict, NDManager manager, String what)
            throws IOException {
        Map<String, TorchvisionModel.Tensor> expected = model.tensors();
        for (Map.Entry<String, TorchvisionModel.Tensor> entry : expected.entrySet()) {
            if (entry.getValue().parameter().isInitialized()) {
                throw new IllegalArgumentException(what + ": the block is already initialised (" + entry.getKey()
                        + " has values); load into a freshly built one");
            }
        }
        List<String> mismatches = new ArrayList<>();
        Set<String> present = new HashSet<>(dict.names());
        for (Map.Entry<String, TorchvisionModel.Tensor> entry : expected.entrySet()) {
            String name = entry.getKey();
            if (!present.contains(name)) {
                mismatches.add("missing: " + name + " " + entry.getValue().shape());
                continue;
            }
            Shape shape = dict.shape(name);
            if (!shape.equals(entry.getValue().shape())) {
                mismatches.add("shape: " + name + " is " + shape + " in the file, the network needs "
                        + entry.getValue().shape());
            }
            if (dict.dtype(name) != TorchDType.FLOAT32) {
                mismatches.add("type: " + name + " is " + dict.dtype(name) + " in the file, the network needs "
                        + TorchDType.FLOAT32);
            }
        }
        for (String name : dict.names()) {
            boolean counter = name.endsWith(COUNTER)
                    && expected.containsKey(name.substring(0, name.length() - COUNTER.length()) + ".running_mean");
            if (!counter && !expected.containsKey(name)) {
                mismatches.add("unexpected: " + name + " " + dict.shape(name));
            }
        }
        if (!mismatches.isEmpty()) {
            throw new StateDictMismatchException(what, mismatches);
        }
        for (Map.Entry<String, TorchvisionModel.Tensor> entry : expected.entrySet()) {
            NDArray array = dict.read(entry.getKey(), manager);
            entry.getValue().parameter().setArray(array);
        }
        model.block().initialize(manager, DataType.FLOAT32, INIT_SHAPE);
    }
}
