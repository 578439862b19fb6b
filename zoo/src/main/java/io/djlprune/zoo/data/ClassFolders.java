package io.djlprune.zoo.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images of one split folder laid out as torchvision's {@code ImageFolder} reads it: one sub-folder per class,
 * the classes sorted by name (so class {@code i} here is class {@code i} in PyTorch), and under each, every image file
 * found at any depth, in sorted path order, labelled with its class.
 *
 * <p>Image files are those with torchvision's extensions, in any case. Those Java's ImageIO decodes ({@code .jpg},
 * {@code .jpeg}, {@code .png}, {@code .bmp}, {@code .tif}, {@code .tiff}) are taken; one ImageIO cannot decode
 * ({@code .ppm}, {@code .pgm}, {@code .webp}) is refused by name rather than skipped, since torchvision would count
 * it. Other files are ignored, as torchvision ignores them.
 *
 * @param folder the split folder
 * @param classNames the class names, sorted
 * @param files the image files
 * @param labels the class index of each file
 */
public record ClassFolders(Path folder, List<String> classNames, List<Path> files, int[] labels) {

    /** Extensions this reader decodes. */
    public static final Set<String> READABLE = Set.of(".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff");

    /** Extensions torchvision's ImageFolder takes that Java's ImageIO cannot decode. */
    public static final Set<String> UNREADABLE = Set.of(".ppm", ".pgm", ".webp");

    /**
     * Lists the classes and images of a split folder and checks them.
     *
     * @param folder for example {@code DIR/train}
     * @return the classes and images
     * @throws DataUnavailableException if the folder does not exist or has no class folders, a class folder holds no
     *     image, or an image has an extension ImageIO cannot decode; the message names the path
     */
    public static ClassFolders scan(Path folder) throws DataUnavailableException {
        if (!Files.isDirectory(folder)) {
            throw new DataUnavailableException("Image folder " + folder + " does not exist or is not a folder.");
        }
        List<String> classes = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted(ClassFolders::compareCodePoints)
                    .forEach(classes::add);
        } catch (IOException e) {
            throw new DataUnavailableException("Image folder " + folder + " cannot be listed (" + e + ").", e);
        }
        if (classes.isEmpty()) {
            throw new DataUnavailableException("Image folder " + folder + " has no class folders: put the images of"
                    + " each class in a folder of its own, " + folder.resolve("<class>").resolve("<image>.jpg") + ".");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classFolder = folder.resolve(classes.get(label));
            List<Path> images = images(classFolder);
            if (images.isEmpty()) {
                throw new DataUnavailableException("Class folder " + classFolder + " holds no image (" + String.join(
                        ", ", READABLE.stream().sorted().toList()) + "); add images or remove the folder"
                        + " (torchvision's ImageFolder refuses it too).");
            }
            files.addAll(images);
            for (int i = 0; i < images.size(); i++) {
                labels.add(label);
            }
        }
        return new ClassFolders(
                folder, List.copyOf(classes), List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static List<Path> images(Path classFolder) throws DataUnavailableException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classFolder, FileVisitOption.FOLLOW_LINKS)) {
            for (Path file : walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> classFolder.relativize(p).toString(), ClassFolders::compareCodePoints))
                    .toList()) {
                String extension = extension(file);
                if (READABLE.contains(extension)) {
                    found.add(file);
                } else if (UNREADABLE.contains(extension)) {
                    throw new DataUnavailableException("Image " + file + " is a " + extension + " file, which Java's"
                            + " ImageIO cannot decode; convert it to PNG or JPEG (torchvision would count it, so it"
                            + " is not skipped).");
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new DataUnavailableException("Class folder " + classFolder + " cannot be listed (" + e + ").", e);
        }
        return found;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    /** Python's string order: by Unicode code point (Java's compareTo orders UTF-16 units). */
    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /**
     * Returns the number of images.
     *
     * @return the count
     */
    public int size() {
        return files.size();
    }
}
