package platform.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The CSRF filter refuses a form post without a valid token with a bare 400. A person needs to
 * know what happened: the form was stale (opened before a restart, or in another session) or was
 * sent from another site.
 */
public class RejectedFormMessage {

    static final String MESSAGE = "This form could not be accepted: it had expired or was sent from another site. "
            + "Reload the page and try again.";

    /** A page without the layout: the layout's sign-out form needs the CSRF token this request lacks. */
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rejected(String message);
    }

    @ServerResponseFilter
    public void explain(ContainerRequestContext request, ContainerResponseContext response) {
        boolean form = MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())
                || MediaType.MULTIPART_FORM_DATA_TYPE.isCompatible(request.getMediaType());
        if (response.getStatus() != 400 || response.hasEntity() || !form) {
            return;
        }
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("text/html")) {
            response.setEntity(Templates.rejected(MESSAGE).render(), null, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
        } else {
            response.setEntity(new Problem("about:blank", "Bad Request", 400, MESSAGE, request.getUriInfo().getPath(), List.of()),
                    null, MediaType.valueOf(Problem.MEDIA_TYPE));
        }
    }
}
