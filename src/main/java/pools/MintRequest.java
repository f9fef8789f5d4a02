package pools;

import java.time.LocalDate;

/** The facts a GPU NFT carries beside its certificate, and who receives it (the operator when empty). */
public record MintRequest(String to, LocalDate purchaseDate, LocalDate inServiceDate, String hostingAgreementUrl,
                          String ownershipContractUrl) {
}
