package chain;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import platform.DomainException;

/** The chain page: contracts with their explorer links, the relay's state, and for admins the outbox and treasury mint. */
@Path("/chain")
@Produces(MediaType.TEXT_HTML)
public class ChainPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance chain(ChainInfo info, List<ContractRow> contracts, List<EffectRow> effects);
    }

    /** A contract with its link. */
    public record ContractRow(String name, String address, String explorerUrl) {
    }

    /** An outbox effect with a link to its transaction. */
    public record EffectRow(EffectStatus effect, String txUrl) {
    }

    /** A whole number of tokens (up to 2^256-1 base units has 59 whole digits) with at most 18 decimals. */
    private static final java.util.regex.Pattern TOKENS = java.util.regex.Pattern.compile("[0-9]{1,59}(\\.[0-9]{1,18})?");

    private final Chain chain;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    ChainPage(Chain chain, io.quarkus.security.identity.SecurityIdentity identity) {
        this.chain = chain;
        this.identity = identity;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance page() {
        ChainInfo info = chain.info();
        List<ContractRow> contracts = info.contracts().entrySet().stream()
                .map(e -> new ContractRow(e.getKey().name(), e.getValue(), chain.explorerAddressUrl(e.getValue()).orElse(null)))
                .toList();
        List<EffectRow> effects = identity.hasRole("admin")
                ? chain.recentEffects(Optional.empty(), 50).stream()
                        .map(e -> new EffectRow(e, e.txHash() == null ? null : chain.explorerTxUrl(e.txHash()).orElse(null)))
                        .toList()
                : List.of();
        return Templates.chain(info, contracts, effects);
    }

    @POST
    @Path("/token-mints")
    @RolesAllowed("admin")
    @Transactional
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response mintTokens(@RestForm String to, @RestForm String tokens) {
        String given = tokens == null ? "" : tokens.trim();
        if (!TOKENS.matcher(given).matches()) { // checked before parsing: no exponents, no 10,000-digit numbers
            throw DomainException.invalid("tokens: give an amount of tokens such as 100 or 0.5 (at most 18 decimals)");
        }
        BigInteger amount = new BigDecimal(given).movePointRight(18).toBigIntegerExact();
        chain.request("treasury-mint:" + UUID.randomUUID(), new ChainEffect.MintTokens(to == null ? null : to.trim(), amount));
        return Response.seeOther(URI.create("/chain")).build();
    }
}
