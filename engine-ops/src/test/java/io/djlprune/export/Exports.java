package io.djlprune.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers shared by the export tests: model initialisation with non-trivial statistics, temp folders. */
final class Exports {

    private Exports() {}

    /**
     * Initialises a block and moves every BatchNorm statistic and bias away from its default (0 or 1), so a swapped
     * or ignored tensor changes the output.
     */
    static void initialise(Block block, NDManager manager, Shape input) {
        manager.getEngine().setRandomSeed(1234);
        block.initialize(manager, DataType.FLOAT32, input);
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            Shape shape = array.getShape();
            switch (entry.getValue().getName()) {
                case "runningVar":
                    array.muli(manager.randomUniform(0.5f, 2f, shape));
                    break;
                case "runningMean":
                    array.addi(manager.randomNormal(0f, 0.3f, shape, DataType.FLOAT32));
                    break;
                case "gamma":
                    array.muli(manager.randomUniform(0.5f, 1.5f, shape));
                    break;
                case "beta":
                case "bias":
                    array.addi(manager.randomNormal(0f, 0.2f, shape, DataType.FLOAT32));
                    break;
                default:
                    break;
            }
        }
    }

    static Path newFolder() throws IOException {
        return Files.createTempDirectory("djlprune-export-test");
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
