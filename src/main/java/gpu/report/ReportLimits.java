package gpu.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bounds of a report, checked where it is read: its whole size, each decimal's digits (no
 * exponents), each string's length and characters, each list's length. A real report is about
 * 1,600 characters with two decimals per figure, so the bounds are generous for it and keep every later
 * step (canonical text, BigDecimal arithmetic, the reasons' messages, the database) small. The
 * records of {@link GpuReport} check their own fields with these methods, so no report, read or
 * built, can be out of bounds.
 */
public final class ReportLimits {

    /** The most characters of canonical JSON a report may have (a real one has about 1,600). */
    public static final int MAX_REPORT_CHARS = 16 * 1024;
    /** Digits before the decimal point of a figure (a trillion GB/s is far beyond any GPU). */
    public static final int MAX_INTEGER_DIGITS = 12;
    /** Digits after the decimal point of a figure (the CLI writes two). */
    public static final int MAX_FRACTION_DIGITS = 6;
    /** Items of a list (the memory test's patterns: five). */
    public static final int MAX_LIST_ITEMS = 10;
    /** A short text: ids, versions, hashes, timestamps. */
    public static final int SHORT_TEXT = 100;
    /** A model id of the reference table. */
    public static final int MODEL_ID_TEXT = 40;
    /** A GPU's name as its driver gives it. */
    public static final int NAME_TEXT = 200;

    private static final Pattern DECIMAL = Pattern.compile(
            "-?[0-9]{1," + MAX_INTEGER_DIGITS + "}(\\.[0-9]{1," + MAX_FRACTION_DIGITS + "})?");
    private static final int MAX_DECIMAL_CHARS = 1 + MAX_INTEGER_DIGITS + 1 + MAX_FRACTION_DIGITS;
    private static final int MAX_ECHO = 24;

    private ReportLimits() {
    }

    /** What a figure must look like, for messages. */
    public static String decimalRule() {
        return "a decimal string with at most " + MAX_INTEGER_DIGITS + " digits before the point and " + MAX_FRACTION_DIGITS
                + " after, without an exponent, e.g. \"3015.12\"";
    }

    /**
     * The decimal in {@code text}; an IllegalArgumentException naming {@code field} unless it is
     * plain digits within the bounds. The length is checked before anything is parsed.
     */
    public static BigDecimal parseDecimal(String field, String text) {
        if (text == null || text.length() > MAX_DECIMAL_CHARS || !DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException(field + " is " + echo(text) + ", not " + decimalRule());
        }
        return new BigDecimal(text);
    }

    /** {@code value} if it is null or within the bounds of a figure; an IllegalArgumentException naming {@code field} if not. */
    public static BigDecimal decimal(String field, BigDecimal value) {
        if (value != null && (value.scale() < 0 || value.scale() > MAX_FRACTION_DIGITS
                || value.precision() - value.scale() > MAX_INTEGER_DIGITS)) {
            throw new IllegalArgumentException(field + " has " + value.precision() + " digits at scale " + value.scale() + ", not "
                    + decimalRule());
        }
        return value;
    }

    /** {@code value} if it is null or at most {@code max} characters without control characters; an IllegalArgumentException if not. */
    public static String text(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " has " + value.length() + " characters; at most " + max + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(field + " contains the control character U+" + String.format("%04X", (int) c)
                        + " at position " + i + "; use printable text");
            }
        }
        return value;
    }

    /** {@code values} (copied) if null or at most {@link #MAX_LIST_ITEMS} short texts; an IllegalArgumentException if not. */
    public static List<String> texts(String field, List<String> values) {
        if (values == null) {
            return null;
        }
        if (values.size() > MAX_LIST_ITEMS) {
            throw new IllegalArgumentException(field + " has " + values.size() + " items; at most " + MAX_LIST_ITEMS + " are allowed");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException(field + "[" + i + "] is null; the list holds names");
            }
            text(field + "[" + i + "]", values.get(i), SHORT_TEXT);
        }
        return List.copyOf(values);
    }

    /**
     * An IllegalArgumentException unless the canonical JSON of {@code tree} has at most
     * {@link #MAX_REPORT_CHARS} characters. Counts as it walks and stops at the limit, so an
     * oversized tree costs no more than a report of the limit's size.
     */
    public static void requireSize(JsonNode tree) {
        int[] left = {MAX_REPORT_CHARS};
        if (!fits(tree, left)) {
            throw new IllegalArgumentException("the report has more than " + MAX_REPORT_CHARS + " characters of JSON; a report may have at most "
                    + MAX_REPORT_CHARS + " (16 KiB), and one the CLI writes has about 1,600");
        }
    }

    private static boolean fits(JsonNode node, int[] left) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                left[0] -= 2;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && left[0] >= 0; ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    left[0] -= field.getKey().length() + 4;
                    if (left[0] < 0 || !fits(field.getValue(), left)) {
                        return false;
                    }
                }
            }
            case ARRAY -> {
                left[0] -= 2;
                for (int i = 0; i < node.size() && left[0] >= 0; i++) {
                    left[0] -= 1;
                    if (!fits(node.get(i), left)) {
                        return false;
                    }
                }
            }
            case STRING -> left[0] -= node.textValue().length() + 2;
            case NUMBER -> left[0] -= 24;
            default -> left[0] -= 5;
        }
        return left[0] >= 0;
    }

    private static String echo(String text) {
        if (text == null) {
            return "null";
        }
        return "\"" + (text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…") + "\"";
    }
}
