package credits.web;

import accounts.Accounts;
import credits.Balance;
import credits.Credits;
import credits.LedgerEntry;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestQuery;
import platform.DomainException;

/** The credits page: the signed-in wallet's balance, escrow and ledger history; the ways to buy DCs are sections of it. */
@Path("/credits")
@Produces(MediaType.TEXT_HTML)
public class CreditsPages {

    /** Postings per page of history. */
    static final int PAGE = 50;

    /**
     * What the page shows. Sections that other parts of credits add (burning tokens, paying by card)
     * add their own fields here.
     *
     * @param older the {@code before} cursor of the next page of history, or null when this page is the last
     */
    public record CreditsView(Balance balance, List<LedgerEntry> history, Long older) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance credits(CreditsView page);
    }

    private final Credits credits;
    private final Accounts accounts;

    CreditsPages(Credits credits, Accounts accounts) {
        this.credits = credits;
        this.accounts = accounts;
    }

    @GET
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance page(@RestQuery String before) {
        Long cursor = cursor(before);
        var wallet = accounts.currentCaller().address();
        List<LedgerEntry> history = credits.history(wallet, PAGE + 1, cursor);
        Long older = history.size() > PAGE ? history.get(PAGE - 1).id() : null;
        return Templates.credits(new CreditsView(credits.balance(wallet), history.subList(0, Math.min(PAGE, history.size())), older));
    }

    private static Long cursor(String before) {
        if (before == null || before.isBlank()) {
            return null;
        }
        if (before.length() > 18 || !before.chars().allMatch(Character::isDigit)) {
            throw DomainException.invalid("before: a posting id (a whole number), not '" + (before.length() > 20 ? before.substring(0, 20) + "…" : before) + "'");
        }
        return Long.parseLong(before);
    }
}
