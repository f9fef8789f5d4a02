package platform.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What a JSON API call may carry. Its body is JSON: a body of another type is refused with 415
 * before anything reads it (Quarkus REST would otherwise read JSON from a text/plain body, the
 * kind a cross-site page can send without asking the browser first).
 * A call without a body (as {@code curl -X POST} sends it, with no Content-Type) is not refused:
 * there is nothing to read.
 */
public class ApiBodies {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter(preMatching = true)
    public Response jsonOnly(ContainerRequestContext request, HttpServerRequest http) {
        if (!WITH_BODY.contains(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/api/")) {
            return null;
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean noBody = (length == null || length.trim().equals("0")) && request.getHeaderString("Transfer-Encoding") == null;
        if (type == null || type.isBlank()) {
            if (noBody) {
                return null;
            }
            return ErrorMapper.respond(http, 415, "The body must be application/json; this request sent no Content-Type", List.of());
        }
        MediaType media;
        try {
            media = MediaType.valueOf(type);
        } catch (IllegalArgumentException malformed) {
            media = null;
        }
        boolean json = media != null && (MediaType.APPLICATION_JSON_TYPE.isCompatible(media) || media.getSubtype().endsWith("+json"));
        if (!json && !noBody) {
            return ErrorMapper.respond(http, 415, "The body must be application/json; this request sent "
                    + ErrorMapper.sanitize(type), List.of());
        }
        return null;
    }
}
