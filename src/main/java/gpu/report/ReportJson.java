package gpu.report;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Reports to and from JSON: decimals as strings (the canonical form has no floats), each checked
 * against {@link ReportLimits} before it is parsed. Other JSON the CLI reads (the server's answers)
 * may carry fields it does not know; a report may not ({@link #read}).
 */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .registerModule(new SimpleModule("bounded-decimals").addDeserializer(BigDecimal.class, new BoundedDecimal()));

    static {
        MAPPER.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        MAPPER.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        MAPPER.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }

    private static final ObjectReader REPORT = MAPPER.readerFor(GpuReport.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ReportJson() {
    }

    /** The mapper for everything the CLI and the server exchange about reports. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * The report in {@code tree}; an IllegalArgumentException naming the field that is wrong if it
     * is not one: more than {@link ReportLimits#MAX_REPORT_CHARS} characters (checked first, by a
     * walk that stops at the limit), a field the format does not have, a value of the wrong type,
     * or one outside {@link ReportLimits}.
     */
    public static GpuReport read(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the report must be a JSON object");
        }
        ReportLimits.requireSize(tree);
        try {
            return REPORT.readValue(tree);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
    }

    /** What is wrong and where, in the report's own field names (never a Java class name). */
    private static String describe(Exception e) {
        if (e instanceof ValueInstantiationException made && made.getCause() instanceof IllegalArgumentException bound) {
            return bound.getMessage();
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return "the report does not have the " + GpuReport.FORMAT + " shape: " + e.getMessage();
        }
        String at = path(mapping.getPath());
        if (e instanceof UnrecognizedPropertyException) {
            return at + " is not a field of a " + GpuReport.FORMAT + " report (docs/gpu-certification.md lists them)";
        }
        if (e instanceof BoundedDecimal.Refused) {
            return at + " " + mapping.getOriginalMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return at + " must be " + expected(mismatch.getTargetType());
        }
        return at + ": " + mapping.getOriginalMessage();
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder at = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                at.append(at.length() > 0 ? "." : "").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                at.append('[').append(reference.getIndex()).append(']');
            }
        }
        return at.length() == 0 ? "the report" : at.toString();
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + " (no fraction, not a string)";
        }
        if (type == long.class || type == Long.class) {
            return "a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " (no fraction, not a string)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list of strings";
        }
        return "an object";
    }

    /** A figure: a JSON string of plain decimal digits within {@link ReportLimits}, checked before it is parsed. */
    private static final class BoundedDecimal extends StdScalarDeserializer<BigDecimal> {

        /** A figure that is not a bounded decimal string. */
        static final class Refused extends JsonMappingException {
            Refused(JsonParser parser, String message) {
                super(parser, message);
            }
        }

        BoundedDecimal() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                throw new Refused(parser, "is the number " + shortText(parser) + ": numbers must be integers; write decimals as strings, "
                        + ReportLimits.decimalRule());
            }
            if (token != JsonToken.VALUE_STRING) {
                throw new Refused(parser, "must be " + ReportLimits.decimalRule());
            }
            try {
                return ReportLimits.parseDecimal("", parser.getText());
            } catch (IllegalArgumentException e) {
                throw new Refused(parser, e.getMessage().trim());
            }
        }

        private static String shortText(JsonParser parser) throws IOException {
            String text = parser.getText();
            return text.length() <= 24 ? text : text.substring(0, 24) + "…";
        }
    }

    /** Indented JSON for people and files. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
