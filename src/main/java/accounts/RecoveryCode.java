package accounts;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import platform.DomainException;

/**
 * A passkey account's recovery code: 128 random bits, written in base32 (RFC 4648's alphabet, A-Z and
 * 2-7, no padding: 26 characters) in groups of four, {@code XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX}. It is
 * shown once and kept only as {@link #hash SHA-256(salt ‖ bits)} with a fresh 16-byte salt per code.
 *
 * <p>Why no slow KDF (PBKDF2, scrypt): a KDF's work factor protects secrets people choose, whose few
 * bits an attacker who holds the hashes can try one by one. These 128 bits are random: whoever holds
 * the table still has to try 2^127 codes on average, which no work factor makes any harder or easier
 * in practice; a slow hash would only make each sign-in attempt cost the server CPU, on an endpoint
 * anyone can call. The salt makes two equal codes (which 128 random bits never give) hash apart and
 * keeps a precomputed table useless; it costs nothing.
 */
final class RecoveryCode {

    static final int BYTES = 16;
    static final int LENGTH = 26;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What a client must send, as a message that names the field. */
    static final String FORMAT = "code: a recovery code is 26 letters A-Z and digits 2-7 (dashes and spaces are ignored), "
            + "as it was shown: XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XX";

    private final byte[] bits;

    private RecoveryCode(byte[] bits) {
        this.bits = bits.clone();
    }

    static RecoveryCode random() {
        byte[] bits = new byte[BYTES];
        RANDOM.nextBytes(bits);
        return new RecoveryCode(bits);
    }

    static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /**
     * A code as a person types it: case, dashes and spaces do not matter. A 400 naming the field for
     * anything that cannot be a code (which says nothing about any account's code).
     */
    static RecoveryCode parse(String text) {
        if (text == null || text.length() > 64) {
            throw DomainException.invalid(FORMAT);
        }
        String compact = text.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (compact.length() != LENGTH) {
            throw DomainException.invalid(FORMAT);
        }
        byte[] bits = new byte[BYTES];
        int buffer = 0;
        int held = 0;
        int at = 0;
        for (int i = 0; i < LENGTH; i++) {
            int value = ALPHABET.indexOf(compact.charAt(i));
            if (value < 0) {
                throw DomainException.invalid(FORMAT);
            }
            buffer = (buffer << 5) | value;
            held += 5;
            if (held >= 8) {
                held -= 8;
                bits[at++] = (byte) (buffer >> held);
                buffer &= (1 << held) - 1;
            }
        }
        if (buffer != 0) { // the last character's two spare bits are zero in every code made here
            throw DomainException.invalid(FORMAT);
        }
        return new RecoveryCode(bits);
    }

    /** The code as it is shown, in groups of four. */
    String text() {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int held = 0;
        int written = 0;
        for (byte b : bits) {
            buffer = (buffer << 8) | (b & 0xff);
            held += 8;
            while (held >= 5) {
                held -= 5;
                written = append(out, written, (buffer >> held) & 31);
            }
            buffer &= (1 << held) - 1;
        }
        append(out, written, (buffer << (5 - held)) & 31);
        return out.toString();
    }

    private static int append(StringBuilder out, int written, int value) {
        if (written > 0 && written % 4 == 0) {
            out.append('-');
        }
        out.append(ALPHABET.charAt(value));
        return written + 1;
    }

    /** SHA-256 over the salt and the code's 16 bytes: what is stored. */
    byte[] hash(byte[] salt) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(bits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether this is the code that {@code storedHash} was made from with {@code salt}; in constant time. */
    boolean matches(byte[] salt, byte[] storedHash) {
        return MessageDigest.isEqual(hash(salt), storedHash);
    }

    @Override
    public String toString() {
        return "RecoveryCode[…]"; // never in a log
    }
}
