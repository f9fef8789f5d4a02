package platform;

/**
 * A refusal a person can act on: the message says what was wrong and is shown to them as is
 * (in a problem-details body for the API, on an error page for the browser).
 * Modules throw it, or a subclass, from their facades; the web layer maps the kind to a status.
 */
public class DomainException extends RuntimeException {

    public enum Kind {
        /** The request itself is malformed or out of range (400). */
        INVALID(400),
        /** The caller is not signed in, or their proof of identity failed (401). */
        UNAUTHENTICATED(401),
        /** The caller's credits do not cover what they asked for (402). */
        PAYMENT_REQUIRED(402),
        /** The caller is known but may not do this (403). */
        FORBIDDEN(403),
        /** The thing asked for does not exist, or is not the caller's to see (404). */
        NOT_FOUND(404),
        /** The request conflicts with the current state (409). */
        CONFLICT(409),
        /** The request is well formed but breaks a business rule (422). */
        REFUSED(422),
        /** The caller reached a limit on how often they may do this; the message says when they may again (429). */
        TOO_MANY(429);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID, message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    public static DomainException forbidden(String message) {
        return new DomainException(Kind.FORBIDDEN, message);
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }

    /** Not enough Data Credits for what was asked (402); the message says what it needs and what there is. */
    public static DomainException paymentRequired(String message) {
        return new DomainException(Kind.PAYMENT_REQUIRED, message);
    }

    public static DomainException refused(String message) {
        return new DomainException(Kind.REFUSED, message);
    }
}
