package chain;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;

/**
 * The chain as the JSON API shows it: contracts, tokens, token metadata, and for admins the outbox.
 * Everything here answers from the database (what event sync mirrored), so it works while the chain
 * is down.
 */
@Path("/api")
@Tag(name = "Chain")
public class ChainResource {

    /** The most digits a token id (uint256) has. */
    static final int TOKEN_ID_DIGITS = 78;

    public record ChainView(long chainId, String rpc, Map<String, String> contracts, boolean up, String problem,
                            @Schema(description = "The newest block the chain reported; null before the first answer", nullable = true)
                            Long headBlock,
                            OutboxStats outbox) {
    }

    public record TokenView(String kind, String contract, String tokenId, String owner, boolean burned, String mintedTx,
                            String lastTx, long lastBlock,
                            @Schema(description = "ERC-4907 user, while one is set", nullable = true) String user,
                            @Schema(description = "Until when the user may use the token; null when there is no user or it never expires",
                                    nullable = true) Instant userExpires,
                            @Schema(description = "The expiry as the chain states it (uint64 seconds since 1970)", nullable = true,
                                    example = "18446744073709551615") String userExpiresSeconds,
                            @Schema(description = "True when the user was set for good (an expiry after the year 9999, such as type(uint64).max)")
                            boolean userNeverExpires,
                            SlotView slot, String explorerUrl, String lastTxExplorerUrl) {
    }

    @Schema(description = "A time slot's terms as the chain states them; start and end are null where they are beyond the year 9999 "
            + "(an open pay-as-you-go slot's end); kind: RESERVED, ON_DEMAND or SPOT")
    public record SlotView(String pool, long gpuCount, Instant start, Instant end, String startSeconds, String endSeconds, SlotKind kind) {
        static SlotView of(Token.Slot slot) {
            return slot == null ? null : new SlotView(slot.pool().toString(), slot.gpuCount(), slot.start().instant().orElse(null),
                    slot.end().instant().orElse(null), slot.start().seconds().toString(), slot.end().seconds().toString(), slot.kind());
        }
    }

    @Schema(description = "New tokens to one address")
    public record TokenMint(
            @Schema(required = true, description = "The receiving address", example = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                    pattern = "^0x[0-9a-fA-F]{40}$")
            @NotNull @Pattern(regexp = "0x[0-9a-fA-F]{40}", message = "must be an address: 0x and 40 hex digits") String to,
            @Schema(required = true, description = "Base units (18 decimals) as a decimal string, from 1 to 2^256-1",
                    example = "1000000000000000000", pattern = "^[0-9]{1,78}$", maxLength = 78)
            @NotNull @Pattern(regexp = "[0-9]{1,78}", message = "must be a whole number of base units (18 decimals)") String amount,
            @Schema(description = "Makes the mint idempotent: the same key mints once however often it is sent",
                    example = "faucet-2026-05-01-alice", pattern = "^[A-Za-z0-9._:-]{0,100}$", maxLength = 100)
            @Pattern(regexp = "[A-Za-z0-9._:-]{0,100}", message = "must be at most 100 letters, digits or . _ : -") String key) {
    }

    public record TokenMints(
            @Schema(required = true, minItems = 1, maxItems = 1000)
            @NotEmpty @Size(max = 1000) List<@Valid @NotNull TokenMint> mints) {
    }

    private final Chain chain;
    private final String publicUrl;

    ChainResource(Chain chain, platform.PlatformConfig platform) {
        this.chain = chain;
        this.publicUrl = platform.publicUrl();
    }

    @GET
    @Path("/chain")
    @Operation(summary = "The chain id, the embedded chain's RPC URL (if embedded), the contract addresses and the relay's state")
    public ChainView chain() {
        ChainInfo info = chain.info();
        Map<String, String> addresses = new LinkedHashMap<>();
        info.contracts().forEach((name, address) -> addresses.put(name.name(), address));
        return new ChainView(info.chainId(), info.embeddedRpc().orElse(null), addresses, info.up(), info.problem(),
                info.headBlock() < 0 ? null : info.headBlock(), info.outbox());
    }

    @GET
    @Path("/chain/tokens/{kind}/{tokenId}")
    @Operation(summary = "An NFT as the chain's confirmed events describe it (kind: operator, gpu, time-slot)")
    public TokenView token(@Parameter(description = "operator, gpu or time-slot", example = "gpu",
                                   schema = @Schema(type = SchemaType.STRING, enumeration = {"operator", "gpu", "time-slot"}))
                           @RestPath String kind,
                           @Parameter(description = "The token id, a whole number from 0 to 2^256-1", example = "42",
                                   schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{1,78}$", maxLength = TOKEN_ID_DIGITS))
                           @RestPath String tokenId) {
        AssetKind assetKind = AssetKind.ofSlug(kind);
        BigInteger id = tokenId(tokenId);
        Token token = chain.token(assetKind, id)
                .orElseThrow(() -> DomainException.notFound("No " + kind + " token " + tokenId + " has been seen on chain"));
        return new TokenView(assetKind.slug(), token.contract(), id.toString(), token.owner(), token.burned(), token.mintedTx(),
                token.lastTx(), token.lastBlock(), token.user(),
                token.userExpires() == null ? null : token.userExpires().instant().orElse(null),
                token.userExpires() == null ? null : token.userExpires().seconds().toString(),
                token.userExpires() != null && token.userExpires().never(),
                SlotView.of(token.slot()),
                chain.explorerTokenUrl(assetKind, id).orElse(null), chain.explorerTxUrl(token.lastTx()).orElse(null));
    }

    @GET
    @Path("/chain/metadata/{kind}/{tokenId}")
    @Operation(summary = "ERC-721 metadata JSON (what tokenURI points at), from the database's mirror of the chain")
    public Map<String, Object> metadata(@Parameter(description = "operator, gpu or time-slot", example = "gpu",
                                                schema = @Schema(type = SchemaType.STRING, enumeration = {"operator", "gpu", "time-slot"}))
                                        @RestPath String kind,
                                        @Parameter(description = "The token id, a whole number from 0 to 2^256-1", example = "42",
                                                schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{1,78}$", maxLength = TOKEN_ID_DIGITS))
                                        @RestPath String tokenId) {
        AssetKind assetKind = AssetKind.ofSlug(kind);
        BigInteger id = tokenId(tokenId);
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> attributes = new ArrayList<>();
        switch (assetKind) {
            case OPERATOR -> {
                json.put("name", "Berkeley Compute pool operator #" + id);
                json.put("description", "Whoever holds this NFT operates the pool it stands for on Berkeley Compute.");
            }
            case GPU -> {
                chain.token(assetKind, id).filter(t -> !t.burned())
                        .orElseThrow(() -> DomainException.notFound("GPU token " + id + " does not exist"));
                Chain.GpuMetadata m = chain.gpuMetadata(id).orElseThrow(() -> new ServiceUnavailableException(
                        "The metadata of GPU token " + id + " has not been read from the chain yet; try again in a few seconds",
                        5L));
                json.put("name", m.model() + " #" + m.serialNumber());
                json.put("description", "A certified " + m.model() + " GPU on Berkeley Compute; its holder earns its rewards.");
                json.put("external_url", publicUrl + "/gpus/" + id); // its earnings history across holders
                attributes.add(Map.of("trait_type", "Model", "value", m.model()));
                attributes.add(Map.of("trait_type", "Serial number", "value", m.serialNumber()));
                attributes.add(Map.of("trait_type", "Purchase date", "display_type", "date", "value", m.purchaseDate()));
                attributes.add(Map.of("trait_type", "In-service date", "display_type", "date", "value", m.inServiceDate()));
                attributes.add(Map.of("trait_type", "Certificate hash", "value", m.certificateHash()));
                json.put("hosting_agreement_url", m.hostingAgreementUrl());
                json.put("ownership_contract_url", m.ownershipContractUrl());
            }
            case TIME_SLOT -> {
                Token token = chain.token(assetKind, id)
                        .orElseThrow(() -> DomainException.notFound("No time slot " + id + " has been seen on chain"));
                json.put("name", "Berkeley Compute time slot #" + id);
                json.put("description", "The right to use GPUs of one pool over a window of time.");
                if (token.slot() != null) {
                    attributes.add(Map.of("trait_type", "Pool", "value", token.slot().pool().toString()));
                    attributes.add(Map.of("trait_type", "GPUs", "value", token.slot().gpuCount()));
                    attributes.add(Map.of("trait_type", "Start", "display_type", "date", "value", token.slot().start().seconds()));
                    if (!token.slot().open()) {
                        attributes.add(Map.of("trait_type", "End", "display_type", "date", "value", token.slot().end().seconds()));
                    }
                    if (token.slot().kind() != null) {
                        attributes.add(Map.of("trait_type", "Kind", "value", token.slot().kind().name()));
                    }
                }
            }
        }
        json.put("attributes", attributes);
        return json;
    }

    @GET
    @Path("/admin/chain/effects")
    @RolesAllowed("admin")
    @Operation(summary = "The newest outbox effects (status: PENDING, SENT, CONFIRMED, FAILED)")
    public List<EffectStatus> effects(
            @Parameter(description = "Only effects in this status", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"PENDING", "SENT", "CONFIRMED", "FAILED"}))
            @QueryParam("status") @Size(max = 20) String status,
            @Parameter(description = "How many, newest first (1 to 500, default 100)", example = "100",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100"))
            @QueryParam("limit") @Min(1) @Max(500) Integer limit) {
        Optional<EffectStatus.Status> only;
        try {
            only = Optional.ofNullable(status).filter(s -> !s.isBlank()).map(s -> EffectStatus.Status.valueOf(s.toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("status: one of PENDING, SENT, CONFIRMED, FAILED");
        }
        return chain.recentEffects(only, limit == null ? 100 : limit);
    }

    @POST
    @Path("/admin/chain/token-mints")
    @RolesAllowed("admin")
    @Transactional
    @Operation(summary = "Treasury mint: new tokens to addresses (for example test tokens on the local chain), "
            + "relayed through the outbox; a mint with a key is made once however often it is sent")
    public Response mintTokens(@Valid @NotNull TokenMints request) {
        List<EffectStatus> effects = new ArrayList<>();
        for (TokenMint mint : request.mints()) {
            String key = "treasury-mint:" + (mint.key() == null || mint.key().isBlank() ? UUID.randomUUID() : mint.key());
            effects.add(chain.request(key, new ChainEffect.MintTokens(mint.to(), new BigInteger(mint.amount()))));
        }
        return Response.accepted(effects).build();
    }

    /** A token id from a path: at most 78 digits, checked before it is parsed. */
    static BigInteger tokenId(String value) {
        if (value == null || value.isEmpty() || value.length() > TOKEN_ID_DIGITS || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw DomainException.invalid("tokenId: '" + abbreviate(value) + "' is not a whole number from 0 to 2^256-1");
        }
        return Addresses.uint256("tokenId", new BigInteger(value));
    }

    private static String abbreviate(String value) {
        return value == null || value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
