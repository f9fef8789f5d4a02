package gpu;

import accounts.WalletAddress;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GPU's certificate. {@code hash} is the SHA-256 ("0x" and 64 hex digits) of {@code content}, the
 * canonical JSON of everything else here; it is what the GPU NFT's metadata carries.
 *
 * @param figures      per figure key (e.g. {@code fp32Tflops}): measured, reference, pass fraction, margin
 * @param revokedAt    when its operator or an admin revoked it, or a newer certificate replaced it
 * @param supersededBy the newer certificate of the same GPU that replaced it, if any
 * @param demo         issued by a demo network ({@code bc.demo.enabled}) without a report: valid only
 *                     while demo mode is on ({@link Certification#validCertificate})
 * @param protocol     what issued it: bc-gpu-report/1 (a report alone, before proof of GPU), bc-proof/1 (a
 *                     passed proof-of-GPU session and its report) or demo
 */
public record Certificate(
        String hash,
        String gpuUuid,
        String gpuName,
        String modelId,
        WalletAddress operator,
        Instant issuedAt,
        Instant expiresAt,
        Instant revokedAt,
        String supersededBy,
        Map<String, CertifiedFigure> figures,
        String content,
        boolean demo,
        String protocol) {

    public Certificate {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /** Issued, not yet expired, not revoked at {@code at}. */
    public boolean validAt(Instant at) {
        return (revokedAt == null || at.isBefore(revokedAt)) && !at.isBefore(issuedAt) && at.isBefore(expiresAt);
    }

    /** measured / reference of one figure (e.g. {@code "fp32Tflops"}), if the certificate has it. */
    public BigDecimal margin(String figure) {
        CertifiedFigure f = figures.get(figure);
        return f == null ? null : f.margin();
    }

    /** "valid", "expired", "revoked" or "superseded", at {@code at}. */
    public String status(Instant at) {
        if (revokedAt != null && !at.isBefore(revokedAt)) {
            return supersededBy != null ? "superseded" : "revoked";
        }
        return at.isBefore(expiresAt) ? "valid" : "expired";
    }
}
