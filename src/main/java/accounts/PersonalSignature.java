package accounts;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;
import platform.DomainException;

/**
 * EIP-191 {@code personal_sign} signatures: what a wallet makes when it signs a text message.
 * Public so that every module that checks or makes signatures (sign-in, GPU reports) does it the same way.
 */
public final class PersonalSignature {

    private PersonalSignature() {
    }

    /** The address whose key made {@code signatureHex} (65 bytes r‖s‖v) over the UTF-8 text {@code message}. */
    public static WalletAddress signer(String message, String signatureHex) {
        byte[] signature;
        try {
            signature = Numeric.hexStringToByteArray(signatureHex);
        } catch (RuntimeException e) {
            throw DomainException.invalid("The signature is not hex");
        }
        if (signature.length != 65) {
            throw DomainException.invalid("The signature must be 65 bytes (r, s, v) in hex, not " + signature.length);
        }
        byte v = signature[64];
        if (v == 0 || v == 1) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw DomainException.invalid("The signature's recovery byte v must be 27 or 28 (or 0 or 1)");
        }
        Sign.SignatureData data = new Sign.SignatureData(v,
                Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64));
        try {
            BigInteger publicKey = Sign.signedPrefixedMessageToKey(message.getBytes(StandardCharsets.UTF_8), data);
            return WalletAddress.of("0x" + Keys.getAddress(publicKey));
        } catch (SignatureException | IllegalArgumentException e) {
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "The signature does not verify: " + e.getMessage());
        }
    }

    /** Signs {@code message} as a wallet's {@code personal_sign} would; used by the CLI and tests. */
    public static String sign(String message, ECKeyPair key) {
        Sign.SignatureData data = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), key);
        byte[] out = new byte[65];
        System.arraycopy(data.getR(), 0, out, 0, 32);
        System.arraycopy(data.getS(), 0, out, 32, 32);
        out[64] = data.getV()[0];
        return Numeric.toHexString(out);
    }
}
