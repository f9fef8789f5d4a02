package platform.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body an endpoint (a resource method, or every method of a resource class)
 * accepts, in bytes. Endpoints without one accept {@code bc.http.max-body-size} (64 KiB by
 * default); {@code quarkus.http.limits.max-body-size} is the ceiling above every limit.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface BodyLimit {

    long KIB = 1024;
    long MIB = 1024 * KIB;

    long value();
}
