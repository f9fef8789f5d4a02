package accounts;

import java.util.Set;

/** Who is asking: a signed-in wallet and the roles it holds. */
public record Caller(WalletAddress address, Set<String> roles) {

    public static final String CUSTOMER = "customer";
    public static final String ADMIN = "admin";
    /** A passkey account: its wallet is a managed one, whose acts the platform signs (pages then ask for no browser wallet). */
    public static final String PASSKEY = "passkey";

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
