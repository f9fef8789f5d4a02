package gpu.report;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;

/** Reports to and from JSON: decimals as strings (the canonical form has no floats), unknown fields ignored. */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    static {
        MAPPER.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
    }

    private ReportJson() {
    }

    /** The mapper for everything the CLI and the server exchange about reports. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** The report in {@code tree}; an IllegalArgumentException saying what is wrong if it is not one. */
    public static GpuReport read(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the report must be a JSON object");
        }
        try {
            return MAPPER.treeToValue(tree, GpuReport.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("the report does not have the " + GpuReport.FORMAT + " shape: " + message, e);
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
