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
        BigInteger amount;
        try {
            amount = new BigDecimal(tokens == null ? "" : tokens.trim()).movePointRight(18).toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw DomainException.invalid("tokens: give an amount of tokens such as 100 or 0.5 (at most 18 decimals)");
        }
        chain.request("treasury-mint:" + UUID.randomUUID(), new ChainEffect.MintTokens(to == null ? null : to.trim(), amount));
        return Response.seeOther(URI.create("/chain")).build();
    }
}
