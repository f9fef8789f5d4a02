package chain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigInteger;

/** A GPU NFT's on-chain metadata ({@code GpuNFT.metadata}) as of a block event sync has processed. */
@Entity
@Table(name = "chain_gpu_metadata")
class GpuMetadataEntity extends PanacheEntityBase {

    @Id
    @Column(name = "token_id", precision = 78)
    public BigInteger tokenId;

    @Column(nullable = false)
    public String model;

    @Column(name = "serial_number", nullable = false)
    public String serialNumber;

    /** uint64 seconds, as the chain states them. */
    @Column(name = "purchase_date", nullable = false, precision = 20)
    public BigInteger purchaseDate;

    @Column(name = "in_service_date", nullable = false, precision = 20)
    public BigInteger inServiceDate;

    @Column(name = "hosting_agreement_url", nullable = false)
    public String hostingAgreementUrl;

    @Column(name = "ownership_contract_url", nullable = false)
    public String ownershipContractUrl;

    @Column(name = "certificate_hash", nullable = false)
    public String certificateHash;

    /** The block whose state these values are; a CertificateUpdated event after it replaces the hash. */
    @Column(name = "as_of_block", nullable = false)
    public long asOfBlock;
}
