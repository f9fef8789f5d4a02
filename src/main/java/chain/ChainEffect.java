package chain;

import static chain.Addresses.address;
import static chain.Addresses.bytes32;
import static chain.Addresses.uint256;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Locale;
import platform.DomainException;

/**
 * Something the marketplace wants to happen on chain. Modules ask for effects through
 * {@link Chain#request}, inside their own database transaction; the relay sends them. Each record
 * checks its values when it is made, so a bad effect is refused before it reaches the outbox.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ChainEffect.MintOperatorNft.class, name = "MintOperatorNft"),
        @JsonSubTypes.Type(value = ChainEffect.MintGpuNft.class, name = "MintGpuNft"),
        @JsonSubTypes.Type(value = ChainEffect.UpdateGpuCertificate.class, name = "UpdateGpuCertificate"),
        @JsonSubTypes.Type(value = ChainEffect.BurnGpuNft.class, name = "BurnGpuNft"),
        @JsonSubTypes.Type(value = ChainEffect.MintTimeSlot.class, name = "MintTimeSlot"),
        @JsonSubTypes.Type(value = ChainEffect.SetSlotUser.class, name = "SetSlotUser"),
        @JsonSubTypes.Type(value = ChainEffect.SplitSlotAt.class, name = "SplitSlotAt"),
        @JsonSubTypes.Type(value = ChainEffect.SplitSlotByCount.class, name = "SplitSlotByCount"),
        @JsonSubTypes.Type(value = ChainEffect.CloseSlot.class, name = "CloseSlot"),
        @JsonSubTypes.Type(value = ChainEffect.MintTokens.class, name = "MintTokens"),
        @JsonSubTypes.Type(value = ChainEffect.BurnTokens.class, name = "BurnTokens"),
        @JsonSubTypes.Type(value = ChainEffect.PublishEpochRoot.class, name = "PublishEpochRoot"),
        @JsonSubTypes.Type(value = ChainEffect.SetOraclePrice.class, name = "SetOraclePrice"),
        @JsonSubTypes.Type(value = ChainEffect.SendEther.class, name = "SendEther"),
        @JsonSubTypes.Type(value = ChainEffect.WalletCall.class, name = "WalletCall")
})
public sealed interface ChainEffect {

    /** The contract the effect's transaction goes to; null for a plain ether transfer to an address ({@link SendEther}). */
    ContractName contract();

    /** A pool operator's NFT, with an id the marketplace chooses (so a retried mint cannot mint twice). */
    record MintOperatorNft(String to, BigInteger tokenId) implements ChainEffect {
        public MintOperatorNft {
            to = address("to", to);
            tokenId = uint256("tokenId", tokenId);
        }

        public ContractName contract() {
            return ContractName.OperatorNFT;
        }
    }

    /** A GPU NFT with the metadata of DESIGN section 5; the certificate hash is required. */
    record MintGpuNft(String to, BigInteger tokenId, GpuNftMetadata metadata) implements ChainEffect {
        public MintGpuNft {
            to = address("to", to);
            tokenId = uint256("tokenId", tokenId);
            if (metadata == null) {
                throw DomainException.invalid("metadata: a GPU NFT needs its metadata");
            }
        }

        public ContractName contract() {
            return ContractName.GpuNFT;
        }
    }

    /** The hardware facts and documents a GPU NFT carries on chain. */
    record GpuNftMetadata(String model, String serialNumber, Instant purchaseDate, Instant inServiceDate,
                          String hostingAgreementUrl, String ownershipContractUrl, String certificateHash) {
        public GpuNftMetadata {
            if (model == null || model.isBlank() || serialNumber == null || serialNumber.isBlank()) {
                throw DomainException.invalid("metadata: a GPU NFT needs its model and serial number");
            }
            if (purchaseDate == null || inServiceDate == null) {
                throw DomainException.invalid("metadata: a GPU NFT needs its purchase and in-service dates");
            }
            model = Addresses.text("model", model, 200);
            serialNumber = Addresses.text("serialNumber", serialNumber, 200);
            purchaseDate = Addresses.seconds("purchaseDate", purchaseDate);
            inServiceDate = Addresses.seconds("inServiceDate", inServiceDate);
            Addresses.text("hostingAgreementUrl", hostingAgreementUrl, 2000);
            Addresses.text("ownershipContractUrl", ownershipContractUrl, 2000);
            hostingAgreementUrl = hostingAgreementUrl == null ? "" : hostingAgreementUrl;
            ownershipContractUrl = ownershipContractUrl == null ? "" : ownershipContractUrl;
            certificateHash = bytes32("certificateHash", certificateHash);
        }
    }

    /** A re-certified GPU's new certificate hash. */
    record UpdateGpuCertificate(BigInteger tokenId, String certificateHash) implements ChainEffect {
        public UpdateGpuCertificate {
            tokenId = uint256("tokenId", tokenId);
            certificateHash = bytes32("certificateHash", certificateHash);
        }

        public ContractName contract() {
            return ContractName.GpuNFT;
        }
    }

    /** A retired GPU's NFT is burned. */
    record BurnGpuNft(BigInteger tokenId) implements ChainEffect {
        public BurnGpuNft {
            tokenId = uint256("tokenId", tokenId);
        }

        public ContractName contract() {
            return ContractName.GpuNFT;
        }
    }

    /**
     * A time slot of {@code gpuCount} GPUs of pool {@code pool}: a {@link SlotKind#RESERVED} one over
     * [start, end), or a pay-as-you-go one ({@link SlotKind#ON_DEMAND}, {@link SlotKind#SPOT}) from
     * {@code start} with {@code end} null (open-ended on chain until {@link CloseSlot}). In the outbox's
     * JSON the kind is {@code slotKind} ({@code kind} names the effect); a stored effect without it
     * (written before TimeSlotNFT version 2) is RESERVED.
     */
    record MintTimeSlot(String to, BigInteger tokenId, BigInteger pool, int gpuCount, Instant start, Instant end,
                        @JsonProperty("slotKind") SlotKind kind)
            implements ChainEffect {
        @JsonCreator
        public MintTimeSlot {
            kind = kind == null ? SlotKind.RESERVED : kind;
            to = address("to", to);
            tokenId = uint256("tokenId", tokenId);
            if (tokenId.bitLength() > 128) {
                throw DomainException.invalid("tokenId: ids from 2^128 up are reserved for split and merged pieces");
            }
            pool = uint256("pool", pool);
            if (gpuCount <= 0) {
                throw DomainException.invalid("gpuCount: a time slot holds at least one GPU");
            }
            if (start == null) {
                throw DomainException.invalid("start: say when the time slot starts");
            }
            if (kind.payAsYouGo() && end != null) {
                throw DomainException.invalid("end: a " + kind + " slot is pay-as-you-go and open-ended (no end until it is closed)");
            }
            if (!kind.payAsYouGo() && (end == null || !start.isBefore(end))) {
                throw DomainException.invalid("start, end: a reserved time slot's start must be before its end");
            }
            start = Addresses.seconds("start", start);
            end = Addresses.seconds("end", end);
        }

        /** A reservation over [start, end) (the effect's shape before slots had kinds). */
        public MintTimeSlot(String to, BigInteger tokenId, BigInteger pool, int gpuCount, Instant start, Instant end) {
            this(to, tokenId, pool, gpuCount, start, end, SlotKind.RESERVED);
        }

        public ContractName contract() {
            return ContractName.TimeSlotNFT;
        }
    }

    /**
     * Ends a pay-as-you-go slot at {@code at} (stopped, preempted or out of credits): on chain its
     * end becomes {@code at}, which must be at or after its start. Only the platform (the minter) may.
     */
    record CloseSlot(BigInteger tokenId, Instant at) implements ChainEffect {
        public CloseSlot {
            tokenId = uint256("tokenId", tokenId);
            if (at == null) {
                throw DomainException.invalid("at: say when the slot ended");
            }
            at = Addresses.seconds("at", at);
        }

        public ContractName contract() {
            return ContractName.TimeSlotNFT;
        }
    }

    /** ERC-4907: who may use a slot, until when (the platform must hold the slot or be approved). */
    record SetSlotUser(BigInteger tokenId, String user, Instant expires) implements ChainEffect {
        public SetSlotUser {
            tokenId = uint256("tokenId", tokenId);
            user = address("user", user);
            if (expires == null) {
                throw DomainException.invalid("expires: say until when the user may use the slot");
            }
            expires = Addresses.seconds("expires", expires);
        }

        public ContractName contract() {
            return ContractName.TimeSlotNFT;
        }
    }

    /** Splits a slot the platform holds (or is approved for) at an instant inside its window. */
    record SplitSlotAt(BigInteger tokenId, Instant at) implements ChainEffect {
        public SplitSlotAt {
            tokenId = uint256("tokenId", tokenId);
            if (at == null) {
                throw DomainException.invalid("at: say where to split the slot");
            }
            at = Addresses.seconds("at", at);
        }

        public ContractName contract() {
            return ContractName.TimeSlotNFT;
        }
    }

    /** Splits a slot the platform holds (or is approved for) into {@code gpuCount} GPUs and the rest. */
    record SplitSlotByCount(BigInteger tokenId, int gpuCount) implements ChainEffect {
        public SplitSlotByCount {
            tokenId = uint256("tokenId", tokenId);
            if (gpuCount <= 0) {
                throw DomainException.invalid("gpuCount: split off at least one GPU");
            }
        }

        public ContractName contract() {
            return ContractName.TimeSlotNFT;
        }
    }

    /** New tokens (base units, 18 decimals) to an address. */
    record MintTokens(String to, BigInteger amount) implements ChainEffect {
        public MintTokens {
            to = address("to", to);
            amount = uint256("amount", amount);
            if (amount.signum() == 0) {
                throw DomainException.invalid("amount: mint more than zero");
            }
        }

        public ContractName contract() {
            return ContractName.BerkeleyToken;
        }
    }

    /** Burns tokens the platform holds (base units). */
    record BurnTokens(BigInteger amount) implements ChainEffect {
        public BurnTokens {
            amount = uint256("amount", amount);
            if (amount.signum() == 0) {
                throw DomainException.invalid("amount: burn more than zero");
            }
        }

        public ContractName contract() {
            return ContractName.BerkeleyToken;
        }
    }

    /** The Merkle root of cumulative entitlements after settling {@code epoch}. */
    record PublishEpochRoot(BigInteger epoch, String root) implements ChainEffect {
        public PublishEpochRoot {
            epoch = uint256("epoch", epoch);
            root = bytes32("root", root);
        }

        public ContractName contract() {
            return ContractName.EpochRewards;
        }
    }

    /** The oracle's token price: USD per whole token with 8 decimals, observed at {@code observedAt}. */
    record SetOraclePrice(BigInteger priceE8, Instant observedAt) implements ChainEffect {
        public SetOraclePrice {
            priceE8 = uint256("priceE8", priceE8);
            if (priceE8.signum() == 0 || observedAt == null) {
                throw DomainException.invalid("priceE8, observedAt: a price must be positive and say when it was observed");
            }
            observedAt = Addresses.seconds("observedAt", observedAt);
        }

        public ContractName contract() {
            return ContractName.CreditsBurner;
        }
    }

    /**
     * Ether (wei) from the platform signer to an address: a plain transfer, no contract call (for
     * example the faucet's gas for a newcomer's wallet on the embedded chain). At most 1 ether, so a
     * mistake cannot empty the signer.
     */
    record SendEther(String to, BigInteger wei) implements ChainEffect {
        public static final BigInteger MAX_WEI = BigInteger.TEN.pow(18);

        public SendEther {
            to = address("to", to);
            wei = uint256("wei", wei);
            if (wei.signum() == 0 || wei.compareTo(MAX_WEI) > 0) {
                throw DomainException.invalid("wei: send more than zero and at most 1 ether (10^18 wei)");
            }
        }

        public ContractName contract() {
            return null;
        }
    }

    /**
     * A call of one of the marketplace's contracts, its calldata as given, that a managed wallet
     * signs: only {@link WalletActs} asks for it (it decides which calls a wallet may
     * make). At most {@link #MAX_DATA_BYTES} bytes of calldata.
     */
    record WalletCall(ContractName contract, String data) implements ChainEffect {
        public static final int MAX_DATA_BYTES = 4096;

        public WalletCall {
            if (contract == null) {
                throw DomainException.invalid("to: say which of the marketplace's contracts to call");
            }
            if (data == null || !data.matches("0x([0-9a-fA-F]{2}){4,}") || data.length() > 2 + 2 * MAX_DATA_BYTES) {
                throw DomainException.invalid("data: calldata is 0x and whole bytes in hex, a 4-byte selector first, at most "
                        + MAX_DATA_BYTES + " bytes");
            }
            data = data.toLowerCase(Locale.ROOT);
        }
    }
}
