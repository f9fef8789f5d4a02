package gpu.report;

import accounts.PersonalSignature;
import accounts.WalletAddress;
import com.fasterxml.jackson.databind.JsonNode;
import org.web3j.crypto.ECKeyPair;

/**
 * Signs and checks reports: EIP-191 {@code personal_sign} over the report's {@link CanonicalJson}
 * text, with the same code the server uses for sign-in ({@link PersonalSignature}).
 */
public final class ReportSigning {

    private ReportSigning() {
    }

    public static SignedReport sign(GpuReport report, ECKeyPair key) {
        JsonNode tree = ReportJson.tree(report);
        return new SignedReport(tree, PersonalSignature.sign(CanonicalJson.write(tree), key));
    }

    /** The text that is signed: the canonical JSON of the report as it was received. */
    public static String signedText(SignedReport signed) {
        return CanonicalJson.write(signed.report());
    }

    /** Whose key made the signature; a {@code platform.DomainException} if it is malformed or does not verify. */
    public static WalletAddress signer(SignedReport signed) {
        return PersonalSignature.signer(signedText(signed), signed.signature());
    }

    /**
     * The canonical text of a report as read ({@link ReportJson#read}): only the fields of the
     * format, each as the record holds it. For a report the CLI signed, it is the signed text.
     */
    public static String canonical(GpuReport report) {
        return CanonicalJson.write(ReportJson.tree(report));
    }

    /**
     * Whose key signed {@link #canonical} of this report, which is what the server verifies and keeps,
     * so the text kept is always the text signed; a {@code platform.DomainException} if the signature
     * is malformed or does not verify.
     */
    public static WalletAddress signer(GpuReport report, String signature) {
        return PersonalSignature.signer(canonical(report), signature);
    }
}
