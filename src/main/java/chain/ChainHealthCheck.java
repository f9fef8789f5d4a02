package chain;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness includes the chain: it answers now, and the contracts are known. */
@Readiness
@ApplicationScoped
class ChainHealthCheck implements HealthCheck {

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final ChainStatus status;

    ChainHealthCheck(ChainClient client, ContractRegistry contracts, ChainStatus status) {
        this.client = client;
        this.contracts = contracts;
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Chain")
                .withData("chainId", client.chainId())
                .withData("outboxPending", status.pending.get())
                .withData("outboxSent", status.sent.get())
                .withData("relayLagSeconds", status.relayLagSeconds.get());
        try {
            if (client.web3j() == null) {
                return response.down().withData("problem", "not started").build();
            }
            long head = client.headBlock();
            response.withData("headBlock", head);
            if (!contracts.complete()) {
                return response.down().withData("problem", "the contracts are not deployed yet").build();
            }
            if (!status.isUp() && status.problem() != null) {
                return response.down().withData("problem", status.problem()).build();
            }
            return response.up().build();
        } catch (Exception e) {
            return response.down().withData("problem", "no answer from the chain's RPC: " + e.getMessage()).build();
        }
    }
}
