package chain;

import chain.contracts.GpuNFT;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.web3j.tuples.generated.Tuple7;
import platform.DomainException;

/** The chain as the JSON API shows it: contracts, tokens, token metadata, and for admins the outbox. */
@Path("/api")
@Tag(name = "Chain")
public class ChainResource {

    public record ChainView(long chainId, String rpc, Map<String, String> contracts, boolean up, String problem,
                            long headBlock, OutboxStats outbox) {
    }

    public record TokenView(String kind, String contract, String tokenId, String owner, boolean burned, String mintedTx,
                            String lastTx, long lastBlock, String user, Instant userExpires, Token.Slot slot,
                            String explorerUrl, String lastTxExplorerUrl) {
    }

    public record TokenMint(@NotNull @Pattern(regexp = "0x[0-9a-fA-F]{40}", message = "must be an address: 0x and 40 hex digits") String to,
                            @NotNull @Pattern(regexp = "[0-9]{1,78}", message = "must be a whole number of base units (18 decimals)") String amount,
                            @Size(max = 100) String key) {
    }

    public record TokenMints(@NotEmpty @Size(max = 1000) List<@Valid @NotNull TokenMint> mints) {
    }

    private final Chain chain;
    private final ChainClient client;
    private final ContractRegistry contracts;

    ChainResource(Chain chain, ChainClient client, ContractRegistry contracts) {
        this.chain = chain;
        this.client = client;
        this.contracts = contracts;
    }

    @GET
    @Path("/chain")
    @Operation(summary = "The chain id, the embedded chain's RPC URL (if embedded), the contract addresses and the relay's state")
    public ChainView chain() {
        ChainInfo info = chain.info();
        Map<String, String> addresses = new LinkedHashMap<>();
        info.contracts().forEach((name, address) -> addresses.put(name.name(), address));
        return new ChainView(info.chainId(), info.embeddedRpc().orElse(null), addresses, info.up(), info.problem(),
                info.headBlock(), info.outbox());
    }

    @GET
    @Path("/chain/tokens/{kind}/{tokenId}")
    @Operation(summary = "An NFT as the chain's confirmed events describe it (kind: operator, gpu, time-slot)")
    public TokenView token(@RestPath String kind, @RestPath String tokenId) {
        AssetKind assetKind = AssetKind.ofSlug(kind);
        BigInteger id = tokenId(tokenId);
        Token token = chain.token(assetKind, id)
                .orElseThrow(() -> DomainException.notFound("No " + kind + " token " + tokenId + " has been seen on chain"));
        return new TokenView(assetKind.slug(), token.contract(), id.toString(), token.owner(), token.burned(), token.mintedTx(),
                token.lastTx(), token.lastBlock(), token.user(), token.userExpires(), token.slot(),
                chain.explorerTokenUrl(assetKind, id).orElse(null), chain.explorerTxUrl(token.lastTx()).orElse(null));
    }

    @GET
    @Path("/chain/metadata/{kind}/{tokenId}")
    @Operation(summary = "ERC-721 metadata JSON (what tokenURI points at)")
    public Map<String, Object> metadata(@RestPath String kind, @RestPath String tokenId) throws Exception {
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
                GpuNFT gpu = GpuNFT.load(contracts.address(ContractName.GpuNFT), client.web3j(), client.signer(),
                        new org.web3j.tx.gas.DefaultGasProvider());
                Tuple7<String, String, BigInteger, BigInteger, String, String, byte[]> m;
                try {
                    m = gpu.metadata(id).send();
                } catch (org.web3j.tx.exceptions.ContractCallException e) {
                    throw DomainException.notFound("GPU token " + id + " does not exist");
                }
                json.put("name", m.component1() + " #" + m.component2());
                json.put("description", "A certified " + m.component1() + " GPU on Berkeley Compute; its holder earns its rewards.");
                attributes.add(Map.of("trait_type", "Model", "value", m.component1()));
                attributes.add(Map.of("trait_type", "Serial number", "value", m.component2()));
                attributes.add(Map.of("trait_type", "Purchase date", "display_type", "date", "value", m.component3()));
                attributes.add(Map.of("trait_type", "In-service date", "display_type", "date", "value", m.component4()));
                attributes.add(Map.of("trait_type", "Certificate hash", "value", org.web3j.utils.Numeric.toHexString(m.component7())));
                json.put("hosting_agreement_url", m.component5());
                json.put("ownership_contract_url", m.component6());
            }
            case TIME_SLOT -> {
                Token token = chain.token(assetKind, id)
                        .orElseThrow(() -> DomainException.notFound("No time slot " + id + " has been seen on chain"));
                json.put("name", "Berkeley Compute time slot #" + id);
                json.put("description", "The right to use GPUs of one pool over a window of time.");
                if (token.slot() != null) {
                    attributes.add(Map.of("trait_type", "Pool", "value", token.slot().pool().toString()));
                    attributes.add(Map.of("trait_type", "GPUs", "value", token.slot().gpuCount()));
                    attributes.add(Map.of("trait_type", "Start", "display_type", "date", "value", token.slot().start().getEpochSecond()));
                    attributes.add(Map.of("trait_type", "End", "display_type", "date", "value", token.slot().end().getEpochSecond()));
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
    public List<EffectStatus> effects(@QueryParam("status") String status, @QueryParam("limit") Integer limit) {
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

    static BigInteger tokenId(String value) {
        try {
            return Addresses.uint256("tokenId", new BigInteger(value));
        } catch (NumberFormatException e) {
            throw DomainException.invalid("tokenId: '" + value + "' is not a whole number");
        }
    }
}
