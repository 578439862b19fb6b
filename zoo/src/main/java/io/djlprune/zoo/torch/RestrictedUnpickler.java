package io.djlprune.zoo.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the pickle {@code torch.save} writes for a state_dict, and nothing else. It interprets the opcodes of pickle
 * protocols 2 to 4 that build plain values (dicts, lists, tuples, strings, integers, floats, booleans, None) and the
 * memo, and resolves globals through a fixed allow-list: {@code collections.OrderedDict} (called with no arguments),
 * {@code torch._utils._rebuild_tensor_v2} (which becomes a {@link TensorRef}, never a call) and the typed storage
 * classes {@code torch.FloatStorage}, … (which only name a dtype inside a persistent id). Any other global, any other
 * opcode, a call of anything but these, or a persistent id that is not a storage reference is refused with the name
 * and the byte offset; nothing is ever executed or instantiated.
 */
final class RestrictedUnpickler {

    /** Storage classes torch writes, by class name, mapped to the dtype of their elements. */
    static final Map<String, TorchDType> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", TorchDType.FLOAT32),
            Map.entry("DoubleStorage", TorchDType.FLOAT64),
            Map.entry("HalfStorage", TorchDType.FLOAT16),
            Map.entry("BFloat16Storage", TorchDType.BFLOAT16),
            Map.entry("LongStorage", TorchDType.INT64),
            Map.entry("IntStorage", TorchDType.INT32),
            Map.entry("CharStorage", TorchDType.INT8),
            Map.entry("ByteStorage", TorchDType.UINT8),
            Map.entry("BoolStorage", TorchDType.BOOL));

    private static final Set<String> CALLABLES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2");

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final byte[] data;
    private final String source;
    private int pos;
    private int opStart;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    /** A python tuple. */
    record Tuple(List<Object> items) {}

    /** An allowed global: a module and a name from the allow-list. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A python dict (also an OrderedDict); {@code attributes} holds what BUILD set on it, e.g. {@code _metadata}. */
    static final class PickleDict {
        final Map<Object, Object> items = new LinkedHashMap<>();
        final Map<Object, Object> attributes = new LinkedHashMap<>();
    }

    /** A storage reference from a persistent id: {@code ('storage', torch.FloatStorage, key, location, numel)}. */
    record StorageRef(TorchDType dtype, String key, String location, long numel) {}

    /** What {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)} would rebuild. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    private RestrictedUnpickler(byte[] data, String source) {
        this.data = data;
        this.source = source;
    }

    /**
     * Unpickles one pickle.
     *
     * @param data the pickle bytes
     * @param source the name of the pickle for messages (the zip entry)
     * @return the value STOP returns
     * @throws TorchArchiveException if the pickle is truncated, malformed or uses anything outside the allow-list
     */
    static Object load(byte[] data, String source) throws TorchArchiveException {
        return new RestrictedUnpickler(data, source).run();
    }

    private Object run() throws TorchArchiveException {
        while (true) {
            opStart = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol < 2 || protocol > 5) {
                        throw fail("pickle protocol " + protocol + " is not supported (2 to 5 are)");
                    }
                }
                case 0x95 -> bytes(8); // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("STOP with " + stack.size() + " values on the stack and " + marks.size()
                                + " open marks; expected exactly one value");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '}' -> push(new PickleDict()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(1)); // TUPLE1
                case 0x86 -> push(tuple(2)); // TUPLE2
                case 0x87 -> push(tuple(3)); // TUPLE3
                case 'N' -> push(null); // NONE
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (u8() | (u8() << 8))); // BININT2
                case 'J' -> push((long) ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt()); // BININT
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                case 'X' -> push(utf8(length(4))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 'q' -> memo.put(u8(), peek()); // BINPUT
                case 'r' -> memo.put(length(4), peek()); // LONG_BINPUT
                case 0x94 -> memo.put(memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(length(4))); // LONG_BINGET
                case 'a' -> list(peekBelow(1)).add(pop()); // APPEND
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    dict(peek()).items.put(hashable(key), value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of values (" + items.size() + ")");
                    }
                    PickleDict dict = dict(peek());
                    for (int i = 0; i < items.size(); i += 2) {
                        dict.items.put(hashable(items.get(i)), items.get(i + 1));
                    }
                }
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL with non-string module or name");
                    }
                    push(global(m, n));
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 'Q' -> push(persistentLoad(pop())); // BINPERSID
                case 'b' -> { // BUILD
                    Object state = pop();
                    build(peek(), state);
                }
                default -> throw fail(String.format("opcode 0x%02x%s is not allowed", op, printable(op)));
            }
        }
    }

    private Object global(String module, String name) throws TorchArchiveException {
        String qualified = module + "." + name;
        boolean storage = module.equals("torch") && STORAGES.containsKey(name);
        if (!storage && !CALLABLES.contains(qualified)) {
            throw fail("global '" + qualified + "' is not on the allow-list (collections.OrderedDict,"
                    + " torch._utils._rebuild_tensor_v2, torch.<Type>Storage); refusing to load it");
        }
        return new Global(module, name);
    }

    private Object reduce(Object callable, Object args) throws TorchArchiveException {
        if (!(callable instanceof Global global) || !CALLABLES.contains(global.qualified())) {
            throw fail("REDUCE calls " + describe(callable) + "; only collections.OrderedDict and"
                    + " torch._utils._rebuild_tensor_v2 may be called");
        }
        if (!(args instanceof Tuple tuple)) {
            throw fail("REDUCE arguments are " + describe(args) + ", not a tuple");
        }
        List<Object> a = tuple.items();
        if (global.name().equals("OrderedDict")) {
            if (!a.isEmpty()) {
                throw fail("collections.OrderedDict called with " + a.size() + " arguments; expected none");
            }
            return new PickleDict();
        }
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.size() < 6 || a.size() > 7) {
            throw fail("_rebuild_tensor_v2 called with " + a.size() + " arguments; expected 6 or 7");
        }
        if (!(a.get(0) instanceof StorageRef storage)) {
            throw fail("_rebuild_tensor_v2's first argument is " + describe(a.get(0)) + ", not a storage");
        }
        long offset = integer(a.get(1), "storage offset");
        long[] size = integers(a.get(2), "size");
        long[] stride = integers(a.get(3), "stride");
        if (size.length != stride.length) {
            throw fail("tensor size " + Arrays.toString(size) + " and stride "
                    + Arrays.toString(stride) + " differ in rank");
        }
        if (!(a.get(4) instanceof Boolean)) {
            throw fail("_rebuild_tensor_v2's requires_grad is " + describe(a.get(4)) + ", not a bool");
        }
        if (!(a.get(5) instanceof PickleDict hooks) || !hooks.items.isEmpty()) {
            throw fail("_rebuild_tensor_v2's backward hooks are " + describe(a.get(5)) + "; expected an empty dict");
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private Object persistentLoad(Object pid) throws TorchArchiveException {
        if (!(pid instanceof Tuple tuple) || tuple.items().size() != 5 || !"storage".equals(tuple.items().get(0))) {
            throw fail("persistent id " + describe(pid) + " is not ('storage', type, key, location, numel)");
        }
        List<Object> t = tuple.items();
        if (!(t.get(1) instanceof Global type) || !type.module().equals("torch")
                || !STORAGES.containsKey(type.name())) {
            throw fail("storage type " + describe(t.get(1)) + " is not a torch.<Type>Storage");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String location)) {
            throw fail("storage key and location must be strings");
        }
        long numel = integer(t.get(4), "storage size");
        return new StorageRef(STORAGES.get(type.name()), key, location, numel);
    }

    private void build(Object target, Object state) throws TorchArchiveException {
        if (!(target instanceof PickleDict dict) || !(state instanceof PickleDict attributes)) {
            throw fail("BUILD sets " + describe(state) + " on " + describe(target)
                    + "; only attributes (a dict) on a dict are allowed");
        }
        dict.attributes.putAll(attributes.items);
    }

    private long integer(Object value, String what) throws TorchArchiveException {
        if (!(value instanceof Long l)) {
            throw fail(what + " is " + describe(value) + ", not an integer");
        }
        if (l < 0) {
            throw fail(what + " is negative: " + l);
        }
        return l;
    }

    private long[] integers(Object value, String what) throws TorchArchiveException {
        if (!(value instanceof Tuple tuple)) {
            throw fail(what + " is " + describe(value) + ", not a tuple");
        }
        long[] result = new long[tuple.items().size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = integer(tuple.items().get(i), what + "[" + i + "]");
        }
        return result;
    }

    private Object hashable(Object key) throws TorchArchiveException {
        if (key == null || key instanceof String || key instanceof Long || key instanceof Boolean
                || key instanceof Double) {
            return key;
        }
        throw fail("dict key " + describe(key) + " is not a string or number");
    }

    private Tuple tuple(int n) throws TorchArchiveException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return new Tuple(Arrays.asList(items));
    }

    private List<Object> popMark() throws TorchArchiveException {
        if (marks.isEmpty()) {
            throw fail("no MARK on the stack");
        }
        int start = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(start, stack.size()));
        stack.subList(start, stack.size()).clear();
        return items;
    }

    private void push(Object value) {
        stack.add(value);
    }

    private Object pop() throws TorchArchiveException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw fail("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws TorchArchiveException {
        return peekBelow(0);
    }

    private Object peekBelow(int depth) throws TorchArchiveException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() - depth <= floor) {
            throw fail("stack underflow");
        }
        return stack.get(stack.size() - 1 - depth);
    }

    private Object memoGet(int index) throws TorchArchiveException {
        if (!memo.containsKey(index)) {
            throw fail("memo entry " + index + " was never stored");
        }
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value) throws TorchArchiveException {
        if (!(value instanceof ArrayList<?>)) {
            throw fail("APPEND to " + describe(value) + ", not a list");
        }
        return (List<Object>) value;
    }

    private PickleDict dict(Object value) throws TorchArchiveException {
        if (!(value instanceof PickleDict dict)) {
            throw fail("SETITEM on " + describe(value) + ", not a dict");
        }
        return dict;
    }

    private int u8() throws TorchArchiveException {
        if (pos >= data.length) {
            throw fail("the pickle ends before STOP (truncated at byte " + data.length + ")");
        }
        return data[pos++] & 0xff;
    }

    private byte[] bytes(int n) throws TorchArchiveException {
        if (n < 0 || n > data.length - pos) {
            throw fail("the pickle ends inside an argument of " + n + " bytes (truncated at byte " + data.length
                    + ")");
        }
        byte[] result = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return result;
    }

    private int length(int width) throws TorchArchiveException {
        long value = ByteBuffer.wrap(bytes(width)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (value > Integer.MAX_VALUE) {
            throw fail("length or index " + value + " is out of range");
        }
        return (int) value;
    }

    private long long1() throws TorchArchiveException {
        int n = u8();
        if (n > 8) {
            throw fail("LONG1 of " + n + " bytes exceeds 64 bits");
        }
        byte[] b = bytes(n);
        long value = 0;
        for (int i = n - 1; i >= 0; i--) {
            value = (value << 8) | (b[i] & 0xff);
        }
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) {
            value -= 1L << (8 * n);
        }
        return value;
    }

    private String utf8(int n) throws TorchArchiveException {
        byte[] b = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TorchArchiveException(where() + ": string is not valid UTF-8", e);
        }
    }

    private String line() throws TorchArchiveException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw fail("the pickle ends inside a GLOBAL name (truncated at byte " + data.length + ")");
        }
        String text = new String(data, start, pos - start, StandardCharsets.US_ASCII);
        pos++;
        return text;
    }

    private static String printable(int op) {
        return op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "";
    }

    private static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Global g) {
            return "global " + g.qualified();
        }
        if (value instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        }
        if (value instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        if (value instanceof PickleDict) {
            return "a dict";
        }
        if (value instanceof StorageRef) {
            return "a storage";
        }
        if (value instanceof TensorRef) {
            return "a tensor";
        }
        return value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value;
    }

    private String where() {
        return source + " byte " + opStart;
    }

    private TorchArchiveException fail(String message) {
        return new TorchArchiveException(where() + ": " + message);
    }
}
