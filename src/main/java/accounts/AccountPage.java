package accounts;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The account page: who you are, your API keys (create, see, revoke), your e-mail address for
 * receipts, a passkey account's passkeys and recovery code (through the JSON API, static/account.js),
 * and signing out.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class AccountPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(Caller caller, Profile profile, List<Passkey> passkeys, List<ApiKey> keys,
                                               NewApiKey newKey, String error);

        static native TemplateInstance signin(long chainId, String origin, String host, String next);
    }

    private final Accounts accounts;
    private final SessionCookies cookies;
    private final PasskeyStore passkeys;

    AccountPage(Accounts accounts, SessionCookies cookies, PasskeyStore passkeys) {
        this.accounts = accounts;
        this.cookies = cookies;
        this.passkeys = passkeys;
    }

    /**
     * The sign-in page. The domain it names (and the message the wallet will sign) comes from
     * configuration, not from the Host this page was asked for; {@code next} is followed only if
     * it is a path on this site ({@link NextPath}).
     */
    @Operation(hidden = true)
    @GET
    @Path("signin")
    public TemplateInstance signIn(@RestQuery String next) {
        SignInTerms terms = accounts.signInTerms();
        String uri = terms.uri().toString();
        return Templates.signin(terms.chainId(), uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri,
                terms.domain(), NextPath.after(next));
    }

    @Operation(hidden = true)
    @GET
    @Path("account")
    @Authenticated
    public TemplateInstance account() {
        return page(null, null);
    }

    @Operation(hidden = true)
    @POST
    @Path("account/api-keys")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance createApiKey(@RestForm String name) {
        try {
            return page(accounts.createApiKey(accounts.currentCaller(), name), null);
        } catch (platform.DomainException e) {
            return page(null, e.getMessage());
        }
    }

    @Operation(hidden = true)
    @POST
    @Path("account/api-keys/{id}/revoke")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeApiKey(@RestPath String id) {
        accounts.revokeApiKey(accounts.currentCaller(), Accounts.apiKeyId(id));
        return Response.seeOther(URI.create("/account")).build();
    }

    @Operation(hidden = true)
    @POST
    @Path("signout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@RestCookie(SessionCookies.NAME) String cookie) {
        accounts.signOut(cookie);
        return Response.seeOther(URI.create("/")).cookie(cookies.cleared()).build();
    }

    private TemplateInstance page(NewApiKey newKey, String error) {
        Caller caller = accounts.currentCaller();
        Profile profile = accounts.profile(caller);
        return Templates.account(caller, profile, profile.passkeyAccount() ? passkeys.passkeys(caller.address()) : List.of(),
                accounts.apiKeys(caller), newKey, error);
    }
}
