package platform.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import platform.PlatformConfig;

/** Who is looking at a page, for the layout's navigation ({@code inject:viewer} in templates). */
@Named("viewer")
@RequestScoped
public class Viewer {

    private final SecurityIdentity identity;
    private final PlatformConfig config;

    Viewer(SecurityIdentity identity, PlatformConfig config) {
        this.identity = identity;
        this.config = config;
    }

    /** Whether this is a demo network ({@code bc.demo.enabled}): the layout shows a banner on every page. */
    public boolean isDemo() {
        return config.demo().enabled();
    }

    public boolean isSignedIn() {
        return !identity.isAnonymous();
    }

    public String getAddress() {
        return isSignedIn() ? identity.getPrincipal().getName() : "";
    }

    /** 0x1234…abcd, as wallets show addresses. */
    public String getShortAddress() {
        String address = getAddress();
        return address.length() == 42 ? address.substring(0, 6) + "…" + address.substring(38) : address;
    }

    /**
     * Whether the viewer's wallet is a managed one (a passkey account, role {@code passkey}): the
     * platform signs its acts, so pages ask for no browser wallet and keep chain details on request.
     */
    public boolean isManagedWallet() {
        return identity.hasRole("passkey");
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }
}
