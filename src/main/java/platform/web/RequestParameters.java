package platform.web;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.math.BigInteger;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** The request parameters of a resource method as the request names them: path, query, header, form, or the body. */
final class RequestParameters {

    enum Source { PATH, QUERY, HEADER, COOKIE, FORM, BODY, CONTEXT }

    record Named(Source source, String name, Class<?> type) {
    }

    private RequestParameters() {
    }

    static Named of(Parameter parameter) {
        for (Annotation a : parameter.getAnnotations()) {
            String javaName = parameter.getName();
            if (a instanceof RestPath p) {
                return new Named(Source.PATH, p.value().isEmpty() ? javaName : p.value(), parameter.getType());
            }
            if (a instanceof PathParam p) {
                return new Named(Source.PATH, p.value(), parameter.getType());
            }
            if (a instanceof RestQuery q) {
                return new Named(Source.QUERY, q.value().isEmpty() ? javaName : q.value(), parameter.getType());
            }
            if (a instanceof QueryParam q) {
                return new Named(Source.QUERY, q.value(), parameter.getType());
            }
            if (a instanceof RestHeader h) {
                return new Named(Source.HEADER, h.value().isEmpty() ? javaName : h.value(), parameter.getType());
            }
            if (a instanceof HeaderParam h) {
                return new Named(Source.HEADER, h.value(), parameter.getType());
            }
            if (a instanceof RestCookie c) {
                return new Named(Source.COOKIE, c.value().isEmpty() ? javaName : c.value(), parameter.getType());
            }
            if (a instanceof CookieParam c) {
                return new Named(Source.COOKIE, c.value(), parameter.getType());
            }
            if (a instanceof RestForm f) {
                return new Named(Source.FORM, f.value().isEmpty() ? javaName : f.value(), parameter.getType());
            }
            if (a instanceof FormParam f) {
                return new Named(Source.FORM, f.value(), parameter.getType());
            }
            if (a instanceof Context) {
                return new Named(Source.CONTEXT, javaName, parameter.getType());
            }
        }
        String type = parameter.getType().getName();
        if (type.startsWith("jakarta.ws.rs.") || type.startsWith("io.vertx.") || type.startsWith("org.jboss.resteasy.")) {
            return new Named(Source.CONTEXT, parameter.getName(), parameter.getType());
        }
        return new Named(Source.BODY, "body", parameter.getType());
    }

    /**
     * The method's parameter at {@code index}, as its first declaration names it: a CDI subclass (an
     * interceptor's, such as the security check of a class-level {@code @Authenticated}) overrides
     * the method without the parameters' annotations.
     */
    static Optional<Named> of(Class<?> type, String method, Class<?>[] parameterTypes, int index) {
        Method declared = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                declared = c.getDeclaredMethod(method, parameterTypes);
            } catch (NoSuchMethodException notHere) {
                // try the superclass
            }
        }
        return declared != null && index >= 0 && index < declared.getParameterCount()
                ? Optional.of(of(declared.getParameters()[index])) : Optional.empty();
    }

    /** Whether a raw path or query value converts to the parameter's type (as RESTEasy would convert it). */
    static boolean converts(String raw, Class<?> type) {
        if (raw == null) {
            return true;
        }
        try {
            if (type == long.class || type == Long.class) {
                Long.parseLong(raw);
            } else if (type == int.class || type == Integer.class) {
                Integer.parseInt(raw);
            } else if (type == short.class || type == Short.class) {
                Short.parseShort(raw);
            } else if (type == UUID.class) {
                UUID.fromString(raw);
            } else if (type == BigInteger.class) {
                new BigInteger(raw);
            } else if (type == boolean.class || type == Boolean.class) {
                return raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false");
            } else if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(raw)) {
                        return true;
                    }
                }
                return false;
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
