package credits;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness includes the ledger's invariant: DCs minted = DCs held + in escrow + burned; DOWN with the figures when not. */
@Readiness
@ApplicationScoped
class LedgerHealthCheck implements HealthCheck {

    private final Ledger ledger;

    LedgerHealthCheck(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("credits-ledger");
        try {
            Invariant totals = ledger.invariant();
            response.withData("mintedDc", totals.minted())
                    .withData("mintedByBurnDc", totals.mintedByBurn())
                    .withData("mintedByCardDc", totals.mintedByCard())
                    .withData("mintedByDemoDc", totals.mintedByDemo())
                    .withData("heldDc", totals.held())
                    .withData("escrowDc", totals.escrow())
                    .withData("burnedDc", totals.burned());
            if (!totals.holds()) {
                return response.down().withData("problem", "DCs minted differ from DCs held + in escrow + burned").build();
            }
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("problem", "the ledger's totals cannot be read: " + e.getMessage()).build();
        }
    }
}
