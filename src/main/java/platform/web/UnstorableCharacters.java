package platform.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A NUL character ({@code %00}) in the path or the query cannot be stored (PostgreSQL text refuses
 * it) and names nothing; refuse it before any resource sees it, naming the parameter it is in.
 * JSON bodies are guarded by {@link JsonLimits}.
 */
public class UnstorableCharacters {

    static final String MESSAGE = "must not contain the NUL character (%00)";

    @ServerRequestFilter(preMatching = true)
    public Response refuseNul(HttpServerRequest request) {
        String uri = request.uri();
        if (uri == null || !uri.toLowerCase(Locale.ROOT).contains("%00")) {
            return null;
        }
        int query = uri.indexOf('?');
        String field = "path";
        if (query >= 0 && uri.substring(query).toLowerCase(Locale.ROOT).contains("%00")) {
            for (String pair : uri.substring(query + 1).split("&")) {
                if (pair.toLowerCase(Locale.ROOT).contains("%00")) {
                    String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                    field = name.toLowerCase(Locale.ROOT).contains("%00") ? "query" : ErrorMapper.sanitize(name);
                    break;
                }
            }
        }
        return ErrorMapper.respond(request, 400, "Please correct: " + field + " " + MESSAGE,
                List.of(new Problem.FieldError(field, MESSAGE)));
    }
}
