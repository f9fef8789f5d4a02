package platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.DomainException;

/**
 * One shape for every error: RFC 9457 problem details for the JSON API, a readable page for the
 * browser. A browser that is not signed in is sent to the sign-in page instead of a 401 page.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail, List<Problem.FieldError> errors);
    }

    @ServerExceptionMapper
    public Response domain(DomainException e, HttpServerRequest request) {
        return respond(request, e.kind().status(), e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = "Please correct: " + String.join("; ", errors.stream().map(f -> f.field() + " " + f.message()).toList());
        return respond(request, 400, detail, errors);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, HttpServerRequest request) {
        if (wantsHtml(request)) {
            String next = URLEncoder.encode(request.uri(), StandardCharsets.UTF_8);
            return Response.seeOther(URI.create("/signin?next=" + next)).build();
        }
        String detail = e instanceof AuthenticationFailedException && e.getMessage() != null
                ? e.getMessage()
                : "Sign in first: send Authorization: Bearer <token or API key> (see POST /api/auth/siwe)";
        return Response.fromResponse(respond(request, 401, detail, List.of()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"berkeley-compute\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(request, 403, "Your account does not have the role this needs", List.of());
    }

    /**
     * Named explicitly so that it wins over Quarkus's built-in mapper of {@link MismatchedInputException}
     * (a field of the wrong type), which answers in another shape and without the reason.
     */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        WebApplicationException refused = refusalInside(e);
        if (refused != null) {
            return web(refused, request);
        }
        return respond(request, 400, "The request body is not the JSON this endpoint expects: " + describe(e), List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        WebApplicationException refused = refusalInside(e);
        if (refused != null) {
            return web(refused, request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed: " + request.method() + " " + request.uri(), e);
        }
        String detail = e.getCause() instanceof JsonProcessingException json
                ? "The request body is not the JSON this endpoint expects: " + describe(json)
                : e.getMessage();
        return respond(request, status, detail, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        LOG.error("Request failed: " + request.method() + " " + request.uri(), e);
        return respond(request, 500, "Something went wrong on our side; it has been logged", List.of());
    }

    /** A refusal raised while the body was read (e.g. past its limit), which the JSON reader wrapped. */
    private static WebApplicationException refusalInside(Exception e) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof WebApplicationException refused) {
                return refused;
            }
        }
        return null;
    }

    /** Jackson's reason, with where in the body it happened when the reason does not say so already. */
    private static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder at = new StringBuilder();
            for (JsonMappingException.Reference reference : mapping.getPath()) {
                if (reference.getFieldName() != null) {
                    at.append(at.length() > 0 ? "." : "").append(reference.getFieldName());
                } else if (reference.getIndex() >= 0) {
                    at.append('[').append(reference.getIndex()).append(']');
                }
            }
            if (at.length() > 0 && !reason.contains(at)) {
                reason = reason + " (at " + at + ")";
            }
        }
        return reason;
    }

    private static Response respond(HttpServerRequest request, int status, String detail, List<Problem.FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        if (wantsHtml(request)) {
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.error(status, title, detail, errors).render()).build();
        }
        Problem problem = new Problem("about:blank", title, status, detail, request.path(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** Pages get HTML; the JSON API (everything under /api) and non-browser clients get problem details. */
    private static boolean wantsHtml(HttpServerRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return !request.path().startsWith("/api/") && accept != null && accept.contains("text/html");
    }

    /**
     * "createApiKey.request.name" becomes "name": the path inside the request, without method and
     * parameter; elements of lists keep their index, as in "pools[1].gpus[0].holder".
     */
    private static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
            if (node.isInIterable() && at != null && field.length() > 0) {
                field.append('[').append(at).append(']');
            }
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                field.append(field.length() > 0 ? "." : "").append(node.getName());
            }
        }
        if (field.length() > 0) {
            return field.toString();
        }
        return parameter == null ? "request" : parameter;
    }
}
