package platform.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.List;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * What a JSON API call may carry. Its body is JSON: a body of another type is refused with 415
 * before anything reads it (Quarkus REST would otherwise read JSON from a text/plain body, the
 * kind a cross-site page can send without asking the browser first).
 *
 * <p>A JSON API call without a body ({@code POST /api/pools/1/members/2/approve}, as curl sends it:
 * no Content-Type) was refused by the CSRF filter as a stale form, before its rights were even
 * checked. There is no form in it to protect: the API authenticates with a bearer token, or with
 * the SameSite session cookie that browsers do not send on cross-site posts. Such a call is marked
 * as JSON (it carries none) so that the CSRF filter lets it through to the rights check; form
 * posts, to the API or to the pages, are still checked.
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
                request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
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
