package io.djlprune.zoo.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlprune.zoo.torch.RestrictedUnpickler.PickleDict;
import io.djlprune.zoo.torch.RestrictedUnpickler.StorageRef;
import io.djlprune.zoo.torch.RestrictedUnpickler.TensorRef;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A state_dict as {@code torch.save(model.state_dict(), f)} writes it, read in pure Java: a zip archive with one
 * {@code <folder>/data.pkl} pickle, one entry {@code <folder>/data/<key>} per tensor storage and optionally
 * {@code <folder>/byteorder}. The pickle is read by a restricted unpickler that only knows the opcodes and globals
 * torch uses there (see {@code docs/IMPORT.md}); anything else is refused and nothing in the file is executed.
 *
 * <p>Opening reads only the pickle and checks that every storage a tensor uses is present and large enough; the
 * tensors themselves are read when asked for, so the file stays open until {@link #close()}.
 */
public final class TorchStateDict implements AutoCloseable {

    /** The largest data.pkl read: the pickle of a state_dict holds names and shapes only (ResNet-50's: 40 kB). */
    private static final int MAX_PICKLE_BYTES = 64 << 20;

    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;
    private final Map<String, TensorRef> tensors;

    private TorchStateDict(ZipFile zip, String prefix, ByteOrder order, Map<String, TensorRef> tensors) {
        this.zip = zip;
        this.prefix = prefix;
        this.order = order;
        this.tensors = tensors;
    }

    /**
     * Opens an archive and reads its pickle.
     *
     * @param file the file {@code torch.save} wrote
     * @return the state dict, to be closed
     * @throws TorchArchiveException if the file is not such an archive, its pickle is refused or a storage is missing
     * @throws IOException if the file cannot be read
     */
    public static TorchStateDict open(Path file) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TorchArchiveException(file + " is not a zip archive, so not what torch.save writes since"
                    + " PyTorch 1.6 (the legacy format of _use_new_zipfile_serialization=False is not read)", e);
        }
        try {
            TorchStateDict dict = read(zip, file.toString());
            zip = null;
            return dict;
        } finally {
            if (zip != null) {
                zip.close();
            }
        }
    }

    private static TorchStateDict read(ZipFile zip, String file) throws IOException {
        List<String> pickles = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                pickles.add(name);
            }
        }
        if (pickles.size() != 1) {
            throw new TorchArchiveException(file + " has " + (pickles.isEmpty() ? "no" : pickles.size())
                    + " <folder>/data.pkl entries " + (pickles.isEmpty() ? "" : pickles)
                    + "; a torch.save archive has exactly one");
        }
        String pickleName = pickles.get(0);
        String prefix = pickleName.substring(0, pickleName.length() - "data.pkl".length());
        ByteOrder order = byteOrder(zip, prefix, file);
        Object root = RestrictedUnpickler.load(bytes(zip, zip.getEntry(pickleName)), file + "!" + pickleName);
        if (!(root instanceof PickleDict dict)) {
            throw new TorchArchiveException(file + ": the pickle holds " + (root == null ? "None" : "a "
                    + root.getClass().getSimpleName()) + ", not a state_dict (a dict of tensors)");
        }
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> entry : dict.items.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new TorchArchiveException(file + ": state_dict key " + entry.getKey() + " is not a string");
            }
            if (!(entry.getValue() instanceof TensorRef tensor)) {
                throw new TorchArchiveException(file + ": state_dict entry '" + name + "' is not a tensor");
            }
            checkStorage(zip, prefix, file, name, tensor);
            tensors.put(name, tensor);
        }
        return new TorchStateDict(zip, prefix, order, Collections.unmodifiableMap(tensors));
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, String file) throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "byteorder");
        if (entry == null) {
            return ByteOrder.LITTLE_ENDIAN; // older writers: always little-endian
        }
        String text = new String(bytes(zip, entry), StandardCharsets.US_ASCII).trim();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new TorchArchiveException(file + ": byteorder entry says '" + text
                    + "', expected 'little' or 'big'");
        };
    }

    private static void checkStorage(ZipFile zip, String prefix, String file, String name, TensorRef tensor)
            throws TorchArchiveException {
        StorageRef storage = tensor.storage();
        ZipEntry entry = zip.getEntry(prefix + "data/" + storage.key());
        if (entry == null) {
            throw new TorchArchiveException(file + ": tensor '" + name + "' uses storage '" + storage.key()
                    + "', but the archive has no entry " + prefix + "data/" + storage.key());
        }
        long[] contiguous = contiguousStrides(tensor.size());
        for (int i = 0; i < contiguous.length; i++) {
            if (tensor.size()[i] > 1 && tensor.stride()[i] != contiguous[i]) {
                throw new TorchArchiveException(file + ": tensor '" + name + "' has size "
                        + Arrays.toString(tensor.size()) + " and stride " + Arrays.toString(tensor.stride())
                        + ", which is not contiguous; only contiguous tensors are read");
            }
        }
        long needed;
        try {
            needed = Math.addExact(tensor.offset(), numel(tensor.size()));
        } catch (ArithmeticException e) {
            throw new TorchArchiveException(file + ": tensor '" + name + "' has size " + Arrays.toString(tensor.size())
                    + " and offset " + tensor.offset() + ", which overflow 64 bits", e);
        }
        long available = entry.getSize() < 0 ? -1 : entry.getSize() / storage.dtype().bytes();
        if (needed > storage.numel() || (available >= 0 && available < storage.numel())) {
            throw new TorchArchiveException(file + ": tensor '" + name + "' needs elements up to " + needed
                    + " of storage '" + storage.key() + "', which declares " + storage.numel() + " and holds "
                    + available);
        }
        if (storage.numel() > Integer.MAX_VALUE / storage.dtype().bytes()) {
            throw new TorchArchiveException(file + ": storage '" + storage.key() + "' of tensor '" + name
                    + "' is larger than 2 GiB, which this reader does not handle");
        }
    }

    /**
     * Returns the tensor names in the order of the file.
     *
     * @return the names
     */
    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /**
     * Returns the shape of a tensor.
     *
     * @param name its name
     * @return its shape ({@code ()} for a scalar)
     * @throws IllegalArgumentException if there is no tensor of that name
     */
    public Shape shape(String name) {
        return new Shape(ref(name).size());
    }

    /**
     * Returns the element type of a tensor.
     *
     * @param name its name
     * @return its type
     * @throws IllegalArgumentException if there is no tensor of that name
     */
    public TorchDType dtype(String name) {
        return ref(name).storage().dtype();
    }

    /**
     * Reads a tensor into a new array of its type.
     *
     * @param name its name
     * @param manager the manager to own the array
     * @return the array
     * @throws IOException if its storage cannot be read or is shorter than declared
     * @throws IllegalArgumentException if there is no tensor of that name
     */
    public NDArray read(String name, NDManager manager) throws IOException {
        TensorRef tensor = ref(name);
        StorageRef storage = tensor.storage();
        int size = storage.dtype().bytes();
        long count = numel(tensor.size());
        ZipEntry entry = zip.getEntry(prefix + "data/" + storage.key());
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) (count * size)).order(ByteOrder.nativeOrder());
        try (InputStream in = zip.getInputStream(entry)) {
            try {
                in.skipNBytes(tensor.offset() * size);
            } catch (EOFException e) {
                throw new TorchArchiveException("storage " + entry.getName() + " of tensor '" + name
                        + "' ends before its offset " + tensor.offset(), e);
            }
            byte[] chunk = new byte[1 << 16];
            long remaining = count * size;
            while (remaining > 0) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, remaining));
                if (n <= 0) {
                    throw new TorchArchiveException("storage " + entry.getName() + " of tensor '" + name
                            + "' ends early: " + (count * size - remaining) + " of " + count * size + " bytes");
                }
                buffer.put(chunk, 0, n);
                remaining -= n;
            }
        }
        buffer.flip();
        if (size > 1 && order != ByteOrder.nativeOrder()) {
            swap(buffer, size);
        }
        return manager.create(buffer, new Shape(tensor.size()), storage.dtype().djl());
    }

    private TensorRef ref(String name) {
        TensorRef tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("the state_dict has no tensor '" + name + "'");
        }
        return tensor;
    }

    private static void swap(ByteBuffer buffer, int size) {
        for (int i = 0; i < buffer.limit(); i += size) {
            for (int a = i, b = i + size - 1; a < b; a++, b--) {
                byte t = buffer.get(a);
                buffer.put(a, buffer.get(b));
                buffer.put(b, t);
            }
        }
    }

    private static long[] contiguousStrides(long[] size) {
        long[] strides = new long[size.length];
        long step = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            strides[i] = step;
            step *= size[i];
        }
        return strides;
    }

    private static long numel(long[] size) {
        long n = 1;
        for (long s : size) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    private static byte[] bytes(ZipFile zip, ZipEntry entry) throws IOException {
        // bounded whatever the entry claims, so that a compressed entry cannot inflate without limit
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(MAX_PICKLE_BYTES + 1);
            if (bytes.length > MAX_PICKLE_BYTES) {
                throw new TorchArchiveException("entry " + entry.getName() + " is larger than " + MAX_PICKLE_BYTES
                        + " bytes; a state_dict pickle is far smaller");
            }
            return bytes;
        }
    }

    /** Closes the archive. */
    @Override
    public void close() throws IOException {
        zip.close();
    }
}
