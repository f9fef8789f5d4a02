package accounts;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies {@link SignInRateLimits} to the endpoints marked {@link SignInRateLimited}, before their
 * body is read, and answers a refusal with 429, {@code Retry-After} and a problem body saying when.
 *
 * <p>The client address is the connection's remote address. Behind a reverse proxy, every client
 * would share the proxy's address: enable {@code quarkus.http.proxy.proxy-address-forwarding} (and
 * {@code quarkus.http.proxy.allow-x-forwarded} or {@code .allow-forwarded} with the proxy's
 * {@code trusted-proxies}) and Quarkus puts the forwarded client address in its place.
 */
class SignInRateLimitFilter {

    /** RFC 9457 problem details with when to retry (extension members {@code retryAfterSeconds}, {@code retryAt}). */
    public record RateLimitProblem(String type, String title, int status, String detail, String instance,
                                   long retryAfterSeconds, Instant retryAt) {
    }

    private final SignInRateLimits limits;

    SignInRateLimitFilter(SignInRateLimits limits) {
        this.limits = limits;
    }

    @ServerRequestFilter
    @SignInRateLimited(SignInRateLimits.Action.NONCE) // the binding; the action is read from the endpoint
    void limit(ResourceInfo resource, HttpServerRequest request) {
        SignInRateLimited limited = resource.getResourceMethod().getAnnotation(SignInRateLimited.class);
        if (limited != null) {
            SocketAddress remote = request.remoteAddress();
            limits.check(limited.value(), remote == null ? null : remote.hostAddress());
        }
    }

    @ServerExceptionMapper
    Response tooMany(TooManyAttempts e, HttpServerRequest request) {
        return Response.status(429)
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                .type("application/problem+json")
                .entity(new RateLimitProblem("about:blank", "Too Many Requests", 429, e.getMessage(), request.path(),
                        e.retryAfterSeconds(), e.retryAt()))
                .build();
    }
}
