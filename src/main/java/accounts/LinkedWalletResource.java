package accounts;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A passkey account's linked external wallet (issue 11): link it with a signed EIP-4361 message,
 * see it, unlink it. The linked wallet signs in to the account and receives its withdrawals.
 */
@Path("/api/me/linked-wallet")
@Authenticated
@Tag(name = "Account")
public class LinkedWalletResource {

    @Schema(name = "LinkedWallet", description = "The external wallet linked to a passkey account; linked false (and the rest null) when there is none")
    public record View(
            @Schema(required = true) boolean linked,
            @Schema(nullable = true, example = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8") String wallet,
            @Schema(nullable = true) Instant linkedAt,
            @Schema(nullable = true, description = "From when withdrawals may go to it (linkedAt plus bc.custody.withdrawal-delay)")
            Instant withdrawalsFrom,
            @Schema(required = true, description = "How long withdrawals to a newly linked wallet wait (bc.custody.withdrawal-delay)",
                    example = "24 h") String withdrawalDelay) {
    }

    private final Accounts accounts;
    private final WalletLinks links;
    private final ManagedWallets managed;

    LinkedWalletResource(Accounts accounts, WalletLinks links, ManagedWallets managed) {
        this.accounts = accounts;
        this.links = links;
        this.managed = managed;
    }

    @GET
    @Operation(summary = "The wallet linked to the signed-in passkey account, if any")
    public View linkedWallet() {
        return view(managed.linkedWallet(accounts.currentCaller().address()));
    }

    @POST
    @Path("/message")
    @SignInRateLimited(SignInRateLimits.Action.NONCE)
    @Operation(summary = "The EIP-4361 message the wallet to link must sign: it names this passkey account")
    public SignInChallenge message(@Valid @NotNull AuthResource.MessageRequest request) {
        return links.message(accounts.currentCaller(), WalletAddress.of(request.address()));
    }

    @PUT
    @SignInRateLimited(SignInRateLimits.Action.SIGN_IN)
    @Operation(summary = "Link the wallet that signed the message; it replaces a wallet linked before, and withdrawals to it wait "
            + "bc.custody.withdrawal-delay")
    public View link(@Valid @NotNull AuthResource.SignInRequest request) {
        return view(Optional.of(links.link(accounts.currentCaller(), request.message(), request.signature())));
    }

    @DELETE
    @Operation(summary = "Unlink the linked wallet: it no longer signs in to this account or receives withdrawals")
    public Response unlink() {
        links.unlink(accounts.currentCaller());
        return Response.noContent().build();
    }

    private View view(Optional<ManagedWallets.LinkedWallet> link) {
        Duration delay = managed.limits().withdrawalDelay();
        String words = delay.toSeconds() % 3600 == 0 ? delay.toHours() + " h"
                : delay.toSeconds() % 60 == 0 ? delay.toMinutes() + " min" : delay.toSeconds() + " s";
        return link.map(l -> new View(true, l.wallet().value(), l.linkedAt(), l.linkedAt().plus(delay), words))
                .orElse(new View(false, null, null, null, words));
    }
}
