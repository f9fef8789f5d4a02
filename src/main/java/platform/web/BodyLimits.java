package platform.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Holds every request body to its endpoint's {@link BodyLimit}: a declared {@code Content-Length}
 * above it is refused before anything is read, and a body sent without one (chunked) is refused as
 * soon as it grows past it. Either way the answer is a 413 that names the limit.
 */
public class BodyLimits {

    /** Settings of request bodies ({@code bc.http.*}). */
    @ConfigMapping(prefix = "bc.http")
    public interface Config {
        /** The body limit of endpoints that declare none. */
        @WithName("max-body-size")
        @WithDefault("65536")
        long maxBodySize();
    }

    private final long defaultLimit;

    BodyLimits(Config config) {
        this.defaultLimit = config.maxBodySize();
    }

    @ServerRequestFilter(preMatching = false, priority = 10)
    public void limit(ContainerRequestContext request, ResourceInfo resource) {
        long limit = limitOf(resource);
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new WebApplicationException("Content-Length is not a number of bytes", 400);
            }
            if (length > limit) {
                throw tooLarge(limit);
            }
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Bounded(request.getEntityStream(), limit));
        }
    }

    long limitOf(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return defaultLimit;
        }
        BodyLimit limit = method.getAnnotation(BodyLimit.class);
        if (limit == null) {
            limit = resource.getResourceClass().getAnnotation(BodyLimit.class);
        }
        return limit == null ? defaultLimit : limit.value();
    }

    static WebApplicationException tooLarge(long limit) {
        return new WebApplicationException("The request body is larger than this endpoint accepts ("
                + readable(limit) + "); send a smaller one", 413);
    }

    static String readable(long bytes) {
        if (bytes >= BodyLimit.MIB && bytes % BodyLimit.MIB == 0) {
            return bytes / BodyLimit.MIB + " MiB";
        }
        if (bytes >= BodyLimit.KIB && bytes % BodyLimit.KIB == 0) {
            return bytes / BodyLimit.KIB + " KiB";
        }
        return bytes + " bytes";
    }

    /** A body stream that refuses to be read past the limit. */
    static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
