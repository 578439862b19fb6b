package io.djlprune.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes pickle protocol 2 restricted to the opcodes LibTorch's C++ unpickler accepts (see TORCHSCRIPT.md): no
 * protocol-4 opcode (FRAME, MEMOIZE, SHORT_BINUNICODE) is ever emitted, which is why a general-purpose pickle library
 * is not used. Globals are memoised with BINPUT/BINGET, as {@code torch.jit.save} does, so a tensor-heavy pickle names
 * {@code torch._utils._rebuild_tensor_v2} once.
 *
 * <p>The writer is a thin opcode emitter: callers build values in stack order (for example MARK, items, TUPLE).
 */
final class PickleWriter {

    private static final int PROTO = 0x80;
    private static final int STOP = '.';
    private static final int MARK = '(';
    private static final int GLOBAL = 'c';
    private static final int EMPTY_TUPLE = ')';
    private static final int TUPLE = 't';
    private static final int TUPLE1 = 0x85;
    private static final int TUPLE2 = 0x86;
    private static final int TUPLE3 = 0x87;
    private static final int EMPTY_DICT = '}';
    private static final int SETITEMS = 'u';
    private static final int NEWOBJ = 0x81;
    private static final int BUILD = 'b';
    private static final int REDUCE = 'R';
    private static final int BINPERSID = 'Q';
    private static final int NONE = 'N';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int BININT1 = 'K';
    private static final int BININT2 = 'M';
    private static final int BININT = 'J';
    private static final int LONG1 = 0x8a;
    private static final int BINFLOAT = 'G';
    private static final int BINUNICODE = 'X';
    private static final int BINPUT = 'q';
    private static final int LONG_BINPUT = 'r';
    private static final int BINGET = 'h';
    private static final int LONG_BINGET = 'j';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> globalMemo = new HashMap<>();
    private boolean stopped;

    /** Starts a protocol-2 pickle; LibTorch refuses a pickle that does not open with PROTO 2. */
    PickleWriter() {
        out.write(PROTO);
        out.write(2);
    }

    /**
     * Pushes a global ({@code module.name}); the first use writes GLOBAL and memoises it, later uses BINGET it.
     *
     * @param module the module, for example {@code torch._utils}
     * @param name the name inside the module
     * @return this writer
     */
    PickleWriter global(String module, String name) {
        if (module.indexOf('\n') >= 0 || name.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("A pickle global cannot contain a newline: " + module + "." + name);
        }
        String key = module + "\n" + name;
        Integer memoIndex = globalMemo.get(key);
        if (memoIndex != null) {
            memoGet(memoIndex);
            return this;
        }
        op(GLOBAL);
        writeAscii(module + "\n" + name + "\n");
        int index = globalMemo.size();
        globalMemo.put(key, index);
        memoPut(index);
        return this;
    }

    /**
     * Pushes MARK, the start of a variable-length tuple or of SETITEMS pairs.
     *
     * @return this writer
     */
    PickleWriter mark() {
        return op(MARK);
    }

    /**
     * Pushes the empty tuple.
     *
     * @return this writer
     */
    PickleWriter emptyTuple() {
        return op(EMPTY_TUPLE);
    }

    /**
     * Closes a tuple of the given number of items already pushed; for more than three items the caller must have
     * pushed MARK before them.
     *
     * @param size the number of items
     * @return this writer
     */
    PickleWriter tuple(int size) {
        switch (size) {
            case 0:
                throw new IllegalArgumentException("Use emptyTuple() for the empty tuple");
            case 1:
                return op(TUPLE1);
            case 2:
                return op(TUPLE2);
            case 3:
                return op(TUPLE3);
            default:
                return op(TUPLE);
        }
    }

    /**
     * Pushes a tuple of integers, the form LibTorch expects for tensor sizes and strides.
     *
     * @param values the integers
     * @return this writer
     */
    PickleWriter intTuple(long[] values) {
        if (values.length == 0) {
            return emptyTuple();
        }
        if (values.length > 3) {
            mark();
        }
        for (long value : values) {
            integer(value);
        }
        return tuple(values.length);
    }

    /**
     * Pushes an empty dictionary.
     *
     * @return this writer
     */
    PickleWriter emptyDict() {
        return op(EMPTY_DICT);
    }

    /**
     * Adds the key/value pairs pushed since the last MARK to the dictionary below that MARK.
     *
     * @return this writer
     */
    PickleWriter setItems() {
        return op(SETITEMS);
    }

    /**
     * Instantiates the class below the argument tuple on the stack (GLOBAL, args, NEWOBJ).
     *
     * @return this writer
     */
    PickleWriter newObj() {
        return op(NEWOBJ);
    }

    /**
     * Sets the state (the dictionary on top of the stack) of the object below it.
     *
     * @return this writer
     */
    PickleWriter build() {
        return op(BUILD);
    }

    /**
     * Calls the global below the argument tuple on the stack with that tuple.
     *
     * @return this writer
     */
    PickleWriter reduce() {
        return op(REDUCE);
    }

    /**
     * Replaces the tuple on top of the stack by the object it identifies (for LibTorch, a storage record).
     *
     * @return this writer
     */
    PickleWriter persistentId() {
        return op(BINPERSID);
    }

    /**
     * Pushes None.
     *
     * @return this writer
     */
    PickleWriter none() {
        return op(NONE);
    }

    /**
     * Pushes a boolean as NEWTRUE or NEWFALSE.
     *
     * @param value the value
     * @return this writer
     */
    PickleWriter bool(boolean value) {
        return op(value ? NEWTRUE : NEWFALSE);
    }

    /**
     * Pushes an integer in the shortest accepted encoding; LibTorch reads LONG1 only with 8 bytes, so every value
     * outside the 32-bit range uses exactly that.
     *
     * @param value the value
     * @return this writer
     */
    PickleWriter integer(long value) {
        if (value >= 0 && value < 0x100) {
            op(BININT1);
            out.write((int) value);
        } else if (value >= 0 && value < 0x10000) {
            op(BININT2);
            writeLittleEndian(value, 2);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            op(BININT);
            writeLittleEndian(value, 4);
        } else {
            op(LONG1);
            out.write(8);
            writeLittleEndian(value, 8);
        }
        return this;
    }

    /**
     * Pushes a float as BINFLOAT (a big-endian IEEE double, as the pickle format defines it).
     *
     * @param value the value
     * @return this writer
     */
    PickleWriter floating(double value) {
        op(BINFLOAT);
        long bits = Double.doubleToLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift) & 0xff);
        }
        return this;
    }

    /**
     * Pushes a string as BINUNICODE (4-byte little-endian length, UTF-8 bytes).
     *
     * @param value the value
     * @return this writer
     */
    PickleWriter string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        op(BINUNICODE);
        writeLittleEndian(bytes.length, 4);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /**
     * Ends the pickle with STOP and returns its bytes; the writer cannot be used afterwards.
     *
     * @return the complete pickle
     */
    byte[] finish() {
        op(STOP);
        stopped = true;
        return out.toByteArray();
    }

    private PickleWriter op(int opcode) {
        if (stopped) {
            throw new IllegalStateException("The pickle was already finished with STOP");
        }
        out.write(opcode);
        return this;
    }

    private void memoPut(int index) {
        if (index < 0x100) {
            op(BINPUT);
            out.write(index);
        } else {
            op(LONG_BINPUT);
            writeLittleEndian(index, 4);
        }
    }

    private void memoGet(int index) {
        if (index < 0x100) {
            op(BINGET);
            out.write(index);
        } else {
            op(LONG_BINGET);
            writeLittleEndian(index, 4);
        }
    }

    private void writeAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7e) {
                throw new IllegalArgumentException("A pickle global must be ASCII: " + text.strip());
            }
            out.write(c);
        }
    }

    private void writeLittleEndian(long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}
