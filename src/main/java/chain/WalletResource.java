package chain;

import accounts.Accounts;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * A passkey account's managed wallet through the JSON API (issue 11): the platform signs its calls
 * of the marketplace's contracts ({@link WalletActs}), withdraws its assets to the linked wallet,
 * answers its read-only calls, and shows the audit log of what it signed. The pages' wallet script
 * uses these for a managed account, where a wallet account's browser wallet signs itself.
 */
@Path("/api/wallet")
@Authenticated
@Tag(name = "Managed wallet")
public class WalletResource {

    static final int CALLDATA_LENGTH = 2 + 2 * ChainEffect.WalletCall.MAX_DATA_BYTES;

    @Schema(name = "WalletCall", description = "A call of one of the marketplace's contracts, as a wallet's eth_sendTransaction or eth_call names it")
    public record CallRequest(
            @Schema(description = "The wallet that signs: must be the signed-in account's own managed wallet (optional)",
                    pattern = "^0x[0-9a-fA-F]{40}$", maxLength = 42, example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")
            @Pattern(regexp = "0x[0-9a-fA-F]{40}", message = "must be an address: 0x and 40 hex digits") String from,
            @Schema(required = true, description = "The contract's address (GET /api/chain names them)", pattern = "^0x[0-9a-fA-F]{40}$",
                    maxLength = 42, example = "0x5fbdb2315678afecb367f032d93f642f64180aa3")
            @NotNull @Pattern(regexp = "0x[0-9a-fA-F]{40}", message = "must be an address: 0x and 40 hex digits") String to,
            @Schema(required = true, description = "ABI-encoded calldata: the 4-byte selector, then the arguments",
                    pattern = "^0x([0-9a-fA-F]{2}){4,}$", maxLength = CALLDATA_LENGTH,
                    example = "0xe0d1e5d7000000000000000000000000000000000000000000000000000000000000001100000000000000000000000000000000000000000000000000000000693170c0")
            @NotNull @Size(max = CALLDATA_LENGTH)
            @Pattern(regexp = "0x([0-9a-fA-F]{2}){4,}", message = "must be 0x and whole bytes in hex, a 4-byte selector first") String data) {
    }

    @Schema(name = "WalletCallResult")
    public record CallResult(@Schema(required = true, description = "The call's ABI-encoded answer") String result) {
    }

    private final WalletActs acts;
    private final Accounts accounts;

    WalletResource(WalletActs acts, Accounts accounts) {
        this.acts = acts;
        this.accounts = accounts;
    }

    @POST
    @Path("/acts")
    @Operation(summary = "Ask the platform to sign a call of the marketplace's contracts with your managed wallet and pay its gas",
            description = "Split, merge, set the user of, list, cancel, buy and transfer time slots, approve the marketplace's contracts, "
                    + "burn BCT for credits, claim rewards. Refused (4xx, nothing signed) when the call is not one of these, sends an asset "
                    + "to an address that is neither a passkey account's wallet nor your linked wallet, passes a limit, or would revert. "
                    + "The act is pending; follow it with GET /api/wallet/acts/{key}.")
    public Response ask(@Valid @NotNull CallRequest request) {
        WalletActs.Entry entry = acts.ask(accounts.currentCaller().address(), Optional.ofNullable(request.from()), request.to(), request.data());
        return Response.status(Response.Status.ACCEPTED).entity(entry).build();
    }

    @GET
    @Path("/acts")
    @Operation(summary = "The audit log: every act the platform signed for your managed wallet, newest first")
    public List<WalletActs.Entry> history(@Parameter(description = "At most this many", schema = @Schema(type = SchemaType.INTEGER,
                                                  minimum = "1", maximum = "500", defaultValue = "100"))
                                          @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(Chain.MAX_ROWS) int limit) {
        return acts.history(accounts.currentCaller().address(), limit);
    }

    @GET
    @Path("/acts/{key}")
    @Operation(summary = "One act of your managed wallet and what became of it on chain")
    public WalletActs.Entry act(@Parameter(description = "The act's key, from POST /api/wallet/acts", example = "wallet-0x7e5f4552091a69125d5dfcb7b8c2659029395bdf-0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11",
                                        schema = @Schema(type = SchemaType.STRING, maxLength = 200, pattern = "^wallet-0x[0-9a-f]{40}-[0-9a-f-]{36}$"))
                                @RestPath @Size(max = 200) String key) {
        return acts.act(accounts.currentCaller().address(), key);
    }

    @POST
    @Path("/withdrawal")
    @Operation(summary = "Withdraw every NFT and all BCT of your managed wallet to your linked wallet",
            description = "Once bc.custody.withdrawal-delay has passed since the wallet was linked; one act per asset, within "
                    + "bc.custody.withdrawals-per-day.")
    public Response withdraw() {
        return Response.status(Response.Status.ACCEPTED).entity(acts.withdrawAll(accounts.currentCaller().address())).build();
    }

    @POST
    @Path("/calls")
    @Operation(summary = "A read-only call (eth_call) from your wallet to one of the marketplace's contracts")
    public CallResult call(@Valid @NotNull CallRequest request) {
        return new CallResult(acts.call(accounts.currentCaller().address(), request.to(), request.data()));
    }
}
