package io.djlprune.export;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Spells values and names in TorchScript source the way the serialized-code parser reads them back exactly.
 */
final class ScriptLiterals {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Python keywords and the names every module class already uses; such attributes need {@code getattr}. */
    private static final Set<String> RESERVED =
            Set.of(
                    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
                    "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
                    "while", "with", "yield", "training", "forward", "self", "torch", "x");

    private ScriptLiterals() {}

    /**
     * Returns whether a name can be declared as {@code name : Type} and read as {@code self.name}; other names go
     * through {@code __annotations__["name"]} and {@code getattr(self, "name")}.
     *
     * @param name the attribute name
     * @return true for a plain identifier that is not reserved
     */
    static boolean isPlainAttribute(String name) {
        return IDENTIFIER.matcher(name).matches() && !RESERVED.contains(name) && !name.startsWith("__");
    }

    /**
     * Quotes a string as a double-quoted source literal.
     *
     * @param value the text (printable ASCII)
     * @return the literal
     */
    static String string(String value) {
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("Attribute names must be printable ASCII, got " + value);
            }
            if (c == '"' || c == '\\') {
                literal.append('\\');
            }
            literal.append(c);
        }
        return literal.append('"').toString();
    }

    /**
     * Spells a double so the parser reads back the same bits: Java's shortest round-trip digits, with a decimal point
     * so TorchScript types it as float, not int.
     *
     * @param value a finite value
     * @return the literal
     */
    static String floating(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Cannot write a non-finite constant " + value + " into TorchScript");
        }
        // Double.toString always has a '.' or an exponent; "1.0E-5" becomes "1.0e-5", Python's spelling.
        return Double.toString(value).toLowerCase(Locale.ROOT);
    }

    /**
     * Spells an int list, for example {@code [1, 1]}.
     *
     * @param values the values
     * @return the literal
     */
    static String intList(int[] values) {
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            list.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return list.append(']').toString();
    }

    /**
     * Spells a boolean.
     *
     * @param value the value
     * @return {@code True} or {@code False}
     */
    static String bool(boolean value) {
        return value ? "True" : "False";
    }
}
