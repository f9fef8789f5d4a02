package gpu.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one text of a JSON value that is signed and hashed: RFC 8785 (JSON Canonicalization Scheme)
 * restricted to integers. Object members sorted by key (UTF-16 code units), no whitespace, strings
 * with only the escapes RFC 8785 uses, integers in plain decimal. A number with a fraction or an
 * exponent is refused: figures travel as decimal strings ("3965.12"), so no float's text can differ
 * between two JSON libraries. Any JCS implementation gives the same bytes for such a value.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The canonical text of {@code value}; IllegalArgumentException if it holds a non-integer number. */
    public static String write(JsonNode value) {
        StringBuilder out = new StringBuilder(4096);
        write(value, "$", out);
        return out.toString();
    }

    private static void write(JsonNode value, String path, StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    keys.add(it.next().getKey());
                }
                keys.sort(String::compareTo);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(keys.get(i), out);
                    out.append(':');
                    write(value.get(keys.get(i)), path + "." + keys.get(i), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(value.get(i), path + "[" + i + "]", out);
                }
                out.append(']');
            }
            case STRING -> string(value.textValue(), out);
            case NUMBER -> {
                if (!value.isIntegralNumber()) {
                    throw new IllegalArgumentException(path + " is the number " + value.asText()
                            + ": numbers must be integers; write decimals as strings, e.g. \"" + value.asText() + "\"");
                }
                out.append(value.bigIntegerValue().toString());
            }
            case BOOLEAN -> out.append(value.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException(path + " is not JSON data (" + value.getNodeType() + ")");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
