package platform.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import platform.DomainException;

/**
 * Jackson's reasons rewritten for the person who sent the body: which field, and what JSON it
 * should have held ("a whole number", "an object", "true or false", "one of …"), never the Java
 * type behind it ({@code pools.web.PoolsResource$PoolRequest}).
 */
final class JsonErrors {

    static final String PREFIX = "The request body is not the JSON this endpoint expects: ";
    /** A Java type as Jackson quotes it in its messages: {@code `java.lang.Long`}. */
    private static final Pattern QUOTED_TYPE = Pattern.compile("`[^`]*`");

    /** Where, what, and the status (400, or the kind of a refusal thrown while a record was built). */
    record Described(int status, String field, String message) {
        String detail() {
            return PREFIX + field + " " + message;
        }
    }

    private JsonErrors() {
    }

    static Described describe(JsonProcessingException e, JsonLimits.Config limits) {
        String field = fieldOf(e);
        StreamConstraintsException limit = causeOf(e, StreamConstraintsException.class);
        if (limit != null) {
            return new Described(400, field, exceeded(limit, limits));
        }
        DomainException refusal = causeOf(e, DomainException.class);
        if (refusal != null) {
            return new Described(refusal.kind().status(), field, "is refused: " + refusal.getMessage());
        }
        if (e instanceof PropertyBindingException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return new Described(400, field, "is not a field of this request" + (known.isEmpty() ? "" : "; the fields are: " + known));
        }
        if (e instanceof InvalidNullException) {
            return new Described(400, field, "must not be null");
        }
        InputCoercionException outOfRange = causeOf(e, InputCoercionException.class);
        if (outOfRange != null) {
            return new Described(400, field, "is out of range: it must be " + expected(outOfRange.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String own = mismatch.getOriginalMessage();
            if (own != null && !own.isBlank() && !QUOTED_TYPE.matcher(own).find() && !own.startsWith("Cannot ")
                    && !own.startsWith("Unexpected ") && !own.startsWith("No content")) {
                // a message written by one of our deserializers, which already says what is expected
                String said = own.startsWith(field) ? own.substring(field.length()).trim() : own;
                return new Described(400, field, said.startsWith("must") || said.startsWith("is ") ? said : "is wrong: " + said);
            }
            if (own != null && own.startsWith("No content")) {
                return new Described(400, "body", "is empty: send a JSON value");
            }
            String value = mismatch instanceof InvalidFormatException format && format.getValue() != null
                    ? " (" + quoted(format.getValue()) + " is not)" : "";
            return new Described(400, field, "must be " + expected(mismatch.getTargetType()) + value);
        }
        if (e instanceof JsonMappingException) {
            return new Described(400, field, "does not have the shape this endpoint expects");
        }
        return new Described(400, "body", "is not valid JSON: " + parseReason(e));
    }

    /** What JSON a Java type is read from, in the words of the JSON a person writes. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "a value of another type";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == short.class || type == Short.class || type == byte.class || type == Byte.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "\"" + ((Enum<?>) c).name() + "\"")
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == LocalDate.class) {
            return "a date such as \"2026-01-31\"";
        }
        if (type == Instant.class || type == OffsetDateTime.class || type == ZonedDateTime.class || type == LocalDateTime.class) {
            return "a time such as \"2026-01-31T12:00:00Z\"";
        }
        if (type == Duration.class) {
            return "a duration such as \"PT1H\"";
        }
        if (type == UUID.class) {
            return "a UUID such as \"123e4567-e89b-12d3-a456-426614174000\"";
        }
        if (JsonNode.class.isAssignableFrom(type)) {
            return "JSON";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }

    /** "prices.reserved[1].termDays", or "body" when the problem is the body as a whole. */
    static String fieldOf(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "body";
        }
        StringBuilder at = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                at.append(at.length() > 0 ? "." : "").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                at.append('[').append(reference.getIndex()).append(']');
            }
        }
        return at.length() == 0 ? "body" : at.toString();
    }

    private static String exceeded(StreamConstraintsException e, JsonLimits.Config limits) {
        String reason = String.valueOf(e.getOriginalMessage());
        if (reason.startsWith("Number value length") || reason.contains("NumberLength")) {
            return "has a number longer than " + limits.maxNumberLength() + " characters";
        }
        if (reason.startsWith("String value length") || reason.contains("StringLength")) {
            return "has a string longer than " + limits.maxStringLength() + " characters";
        }
        if (reason.startsWith("Name length") || reason.contains("NameLength")) {
            return "has a field name longer than " + limits.maxNameLength() + " characters";
        }
        if (reason.startsWith("Document nesting depth") || reason.contains("NestingDepth")) {
            return "is nested deeper than " + limits.maxNestingDepth() + " levels of objects and lists";
        }
        if (reason.startsWith("Document length") || reason.contains("DocumentLength")) {
            return "is longer than " + limits.maxDocumentLength() + " bytes";
        }
        return "goes beyond a limit of this server: " + QUOTED_TYPE.matcher(reason).replaceAll("a setting");
    }

    /** Jackson's parse error without its source excerpt, with the line and column. */
    private static String parseReason(JsonProcessingException e) {
        String reason = String.valueOf(e.getOriginalMessage());
        int source = reason.indexOf(" (for ");
        if (source < 0) {
            source = reason.indexOf("[Source:");
        }
        if (source > 0) {
            reason = reason.substring(0, source).trim();
        }
        reason = QUOTED_TYPE.matcher(reason).replaceAll("a value");
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            reason = reason + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return reason;
    }

    private static String quoted(Object value) {
        String text = String.valueOf(value);
        if (text.length() > 40) {
            text = text.substring(0, 40) + "…";
        }
        return "\"" + text.replaceAll("\\p{Cntrl}", "?") + "\"";
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
