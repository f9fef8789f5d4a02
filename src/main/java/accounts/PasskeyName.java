package accounts;

import java.util.regex.Pattern;
import platform.DomainException;

/** What a passkey's owner calls it ("Phone", "Work laptop"): 1 to 64 letters, digits, spaces and . _ ' -, trimmed. */
record PasskeyName(String value) {

    static final int MAX_LENGTH = 64;
    /** The characters a name may hold, for the request's own validation and the OpenAPI document. */
    static final String CHARACTERS = "[\\p{L}\\p{N} ._'-]*";
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{N} ._'-]{1," + MAX_LENGTH + "}");

    PasskeyName {
        value = value == null ? "" : value.strip();
        if (!ALLOWED.matcher(value).matches()) {
            throw DomainException.invalid("name: give the passkey a name of 1 to " + MAX_LENGTH
                    + " letters, digits, spaces and . _ ' -, e.g. Phone or Work laptop");
        }
    }

    /** The name a passkey gets when its owner gives none: "Passkey 2" for an account's second. */
    static PasskeyName numbered(long number) {
        return new PasskeyName("Passkey " + number);
    }
}
