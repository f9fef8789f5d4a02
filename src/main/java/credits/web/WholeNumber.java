package credits.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;

/**
 * Reads a JSON integer into a {@code Long} and refuses anything else. Jackson would otherwise
 * truncate {@code 1.5} to 1 or accept {@code "86400"}; settlement inputs are whole numbers, and a
 * fraction in them is a mistake the caller should hear about. A number beyond a {@code long} is
 * refused by Jackson itself.
 */
final class WholeNumber extends StdDeserializer<Long> {

    WholeNumber() {
        super(Long.class);
    }

    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        throw MismatchedInputException.from(parser, Long.class,
                path(parser.getParsingContext()) + " must be a whole number (a JSON integer), not " + parser.getText());
    }

    /** Where the parser is, as {@code pools[0].gpus[3].onlineSeconds}. */
    static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                path.insert(0, (c.getParent() != null && !c.getParent().inRoot() ? "." : "") + c.getCurrentName());
            }
        }
        return path.length() == 0 ? "a value" : path.toString();
    }
}
