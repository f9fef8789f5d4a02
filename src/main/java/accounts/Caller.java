package accounts;

import java.util.Set;

/** Who is asking: a signed-in wallet and the roles it holds. */
public record Caller(WalletAddress address, Set<String> roles) {

    public static final String CUSTOMER = "customer";
    public static final String ADMIN = "admin";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
