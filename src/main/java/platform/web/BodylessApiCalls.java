package platform.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A JSON API call without a body ({@code POST /api/pools/1/members/2/approve}, as curl sends it:
 * no Content-Type) was refused by the CSRF filter as a stale form, before its rights were even
 * checked. There is no form in it to protect: the API authenticates with a bearer token, or with
 * the SameSite session cookie that browsers do not send on cross-site posts. Such a call is marked
 * as JSON (it carries none) so that the CSRF filter lets it through to the rights check; form
 * posts, to the API or to the pages, are still checked.
 */
public class BodylessApiCalls {

    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter(preMatching = true)
    public void markAsJson(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        boolean noBody = (length == null || length.trim().equals("0")) && request.getHeaderString("Transfer-Encoding") == null;
        if ((type == null || type.isBlank()) && noBody) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }
}
