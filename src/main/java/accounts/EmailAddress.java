package accounts;

import java.util.regex.Pattern;
import platform.DomainException;

/**
 * Where an account's receipts would go. Optional, never required; simple, sane validation (what a
 * browser's {@code type=email} field accepts, with a dot in the domain), at most 254 characters.
 * No mail is sent yet: it is only kept and shown.
 */
record EmailAddress(String value) {

    static final int MAX_LENGTH = 254;
    private static final Pattern SANE = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    EmailAddress {
        value = value == null ? "" : value.strip();
        if (value.length() > MAX_LENGTH || !SANE.matcher(value).matches()) {
            throw DomainException.invalid("email: give an e-mail address such as ada@example.com (at most " + MAX_LENGTH
                    + " characters), or null to remove it");
        }
    }

    /** An address as a client sends it: null or blank means none. */
    static EmailAddress orNone(String value) {
        return value == null || value.isBlank() ? null : new EmailAddress(value);
    }
}
