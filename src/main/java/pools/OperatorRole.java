package pools;

import accounts.WalletAddress;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Adds the {@code operator} role to a signed-in wallet that has an operator's rights (holds an operator NFT). */
@ApplicationScoped
class OperatorRole implements SecurityIdentityAugmentor {

    static final String OPERATOR = "operator";

    private final Pools pools;

    OperatorRole(Pools pools) {
        this.pools = pools;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> pools.isOperator(WalletAddress.of(identity.getPrincipal().getName()))
                ? QuarkusSecurityIdentity.builder(identity).addRole(OPERATOR).build()
                : identity);
    }
}
