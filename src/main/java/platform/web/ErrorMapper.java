package platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Method;
import java.sql.SQLException;
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

    private final JsonLimits limits;

    ErrorMapper(JsonLimits limits) {
        this.limits = limits;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail, List<Problem.FieldError> errors);

        /** The same without the layout, whose sign-out form needs a CSRF token that a refused form post may not have. */
        static native TemplateInstance plain(int status, String title, String detail, List<Problem.FieldError> errors);
    }

    @ServerExceptionMapper
    public Response domain(DomainException e, HttpServerRequest request) {
        return respond(request, e.kind().status(), e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> {
                    String field = fieldOf(v);
                    boolean missingBody = field.equals("body") && v.getInvalidValue() == null;
                    return new Problem.FieldError(field, missingBody ? "is required: send a JSON value" : v.getMessage());
                })
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
            return web(refused, request, null, null);
        }
        JsonErrors.Described described = JsonErrors.describe(e, limits.config());
        return respond(request, described.status(), described.detail(),
                List.of(new Problem.FieldError(described.field(), described.message())));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request, ResourceInfo resource, UriInfo uri) {
        WebApplicationException refused = refusalInside(e);
        if (refused != null) {
            return web(refused, request, resource, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed: " + request.method() + " " + request.uri(), e);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, request);
        }
        if (e instanceof NotAllowedException) {
            String allowed = String.join(", ", e.getResponse().getAllowedMethods().stream().sorted().toList());
            Response response = respond(request, 405, request.method() + " is not supported at " + request.path()
                    + (allowed.isEmpty() ? "" : "; it takes " + allowed), List.of());
            return allowed.isEmpty() ? response : Response.fromResponse(response).header(HttpHeaders.ALLOW, allowed).build();
        }
        if (e instanceof NotSupportedException) {
            String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
            return respond(request, 415, "The body must be " + consumes(resource, request) + "; this request sent "
                    + (sent == null || sent.isBlank() ? "no Content-Type" : sanitize(sent)), List.of());
        }
        if (e instanceof NotAcceptableException) {
            String accept = request.getHeader(HttpHeaders.ACCEPT);
            return respond(request, 406, "This endpoint answers with " + produces(resource, request)
                    + ", which the request's Accept header (" + sanitize(String.valueOf(accept)) + ") does not allow", List.of());
        }
        if ((e instanceof NotFoundException || e instanceof BadRequestException) && e.getCause() != null) {
            Response malformed = malformedParameter(request, resource, uri);
            if (malformed != null) {
                return malformed;
            }
        }
        if (e instanceof NotFoundException) {
            return respond(request, 404, "There is nothing at " + request.method() + " " + sanitize(request.path())
                    + (request.path().startsWith("/api/") ? "; the API is described at /q/openapi" : ""), List.of());
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP " + status)
                ? "The request was refused (" + status + ")"
                : e.getMessage();
        Response response = respond(request, status, detail, List.of());
        Object retryAfter = e.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER); // when a 503 or 429 says it
        return retryAfter == null ? response : Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, retryAfter).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        Response refused = refusedByDatabase(e, request);
        if (refused != null) {
            return refused;
        }
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

    /**
     * A last line of defence: a value the database refuses to store (a NUL character, a string
     * longer than its column, a number out of its range, a broken check constraint) means input
     * that a module did not bound; the transaction has rolled back, so nothing changed. The person
     * gets a 400 (409 for a duplicate) instead of a 500; the log keeps the cause so that the
     * module can validate the field itself and name it.
     */
    private static Response refusedByDatabase(Throwable e, HttpServerRequest request) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String detail = switch (sql.getSQLState()) {
                    case "22021", "22P05" -> "A text in the request contains a character that cannot be stored (such as NUL, U+0000)";
                    case "22001" -> "A text in the request is longer than this field allows";
                    case "22003" -> "A number in the request is out of the range this field allows";
                    case "22008" -> "A date or time in the request is out of range";
                    case "23514" -> "A value in the request is outside what this field allows";
                    case "23505" -> "This exists already";
                    default -> null;
                };
                if (detail == null) {
                    return null;
                }
                // the SQL state only: the database's message quotes the row, which may hold secrets' hashes
                LOG.warn("Input refused by the database (validate it where it is parsed): " + request.method() + " "
                        + request.path() + ": SQL state " + sql.getSQLState() + " (" + detail + ")");
                return respond(request, sql.getSQLState().equals("23505") ? 409 : 400, detail, List.of());
            }
        }
        return null;
    }

    /**
     * A path or query parameter that does not convert to its type: which one, and what it should be.
     * A path that names nothing is a 404; a malformed query parameter is a 400.
     */
    private static Response malformedParameter(HttpServerRequest request, ResourceInfo resource, UriInfo uri) {
        Method method;
        try {
            method = resource == null ? null : resource.getResourceMethod();
        } catch (RuntimeException notMatched) {
            method = null;
        }
        if (method == null || uri == null) {
            return null;
        }
        for (java.lang.reflect.Parameter parameter : method.getParameters()) {
            RequestParameters.Named named = RequestParameters.of(parameter);
            String raw = switch (named.source()) {
                case PATH -> uri.getPathParameters().getFirst(named.name());
                case QUERY -> uri.getQueryParameters().getFirst(named.name());
                default -> null;
            };
            if (raw != null && !RequestParameters.converts(raw, named.type())) {
                String expected = "must be " + JsonErrors.expected(named.type()).replace("\"", "");
                if (named.source() == RequestParameters.Source.PATH) {
                    return respond(request, 404, "There is nothing at " + sanitize(request.path()) + ": " + named.name() + " "
                            + expected, List.of(new Problem.FieldError(named.name(), expected)));
                }
                return respond(request, 400, "Please correct: " + named.name() + " " + expected,
                        List.of(new Problem.FieldError(named.name(), expected)));
            }
        }
        return null;
    }

    private static String consumes(ResourceInfo resource, HttpServerRequest request) {
        jakarta.ws.rs.Consumes consumes = annotation(resource, jakarta.ws.rs.Consumes.class);
        if (consumes != null && consumes.value().length > 0) {
            return String.join(" or ", consumes.value());
        }
        return request.path().startsWith("/api/") ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_FORM_URLENCODED;
    }

    private static String produces(ResourceInfo resource, HttpServerRequest request) {
        jakarta.ws.rs.Produces produces = annotation(resource, jakarta.ws.rs.Produces.class);
        if (produces != null && produces.value().length > 0) {
            return String.join(" or ", produces.value());
        }
        return request.path().startsWith("/api/") ? MediaType.APPLICATION_JSON : MediaType.TEXT_HTML;
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(ResourceInfo resource, Class<A> type) {
        try {
            if (resource == null || resource.getResourceMethod() == null) {
                return null;
            }
            A onMethod = resource.getResourceMethod().getAnnotation(type);
            return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(type);
        } catch (RuntimeException notMatched) {
            return null;
        }
    }

    /** A value from the request, shortened and without control characters, to quote back in a message. */
    static String sanitize(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 120 ? clean.substring(0, 120) + "…" : clean;
    }

    static Response respond(HttpServerRequest request, int status, String detail, List<Problem.FieldError> errors) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        if (wantsHtml(request)) {
            String page;
            try {
                page = Templates.error(status, title, detail, errors).render();
            } catch (io.quarkus.qute.TemplateException noCsrfToken) {
                // refused before the CSRF filter gave this request a token (a form post that needs a role)
                page = Templates.plain(status, title, detail, errors).render();
            }
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
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
        Path.MethodNode method = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                if (method != null && violation.getRootBeanClass() != null) {
                    parameter = RequestParameters.of(violation.getRootBeanClass(), method.getName(),
                                    method.getParameterTypes().toArray(Class<?>[]::new), node.as(Path.ParameterNode.class).getParameterIndex())
                            .map(RequestParameters.Named::name).orElse(parameter);
                }
                continue;
            }
            if (node.getKind() == ElementKind.METHOD) {
                method = node.as(Path.MethodNode.class);
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
