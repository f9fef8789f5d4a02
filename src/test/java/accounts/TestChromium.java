package accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The headless Chromium of the browser tests: Debian's {@code /usr/bin/chromium} (or
 * {@code -Dbc.chromium=…}), never a browser Playwright downloads, started with the flags this
 * machine needs. One per test class: {@code launch()} in {@code @BeforeAll}, {@code close()} in
 * {@code @AfterAll}, a fresh {@link #newContext()} (cookies, storage) per test.
 */
public final class TestChromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("bc.chromium", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private TestChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static TestChromium launch() {
        assertThat(CHROMIUM).as("Chromium for browser tests (apt-get install chromium)").exists();
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
        return new TestChromium(playwright, browser);
    }

    public BrowserContext newContext() {
        return browser.newContext();
    }

    /**
     * Gives {@code page} a platform authenticator (the DevTools protocol's WebAuthn domain) with
     * resident keys and user verification that answers at once: passkeys without a person.
     */
    public static void virtualAuthenticator(Page page) {
        CDPSession cdp = page.context().newCDPSession(page);
        cdp.send("WebAuthn.enable", JsonParser.parseString("{\"enableUI\": false}").getAsJsonObject());
        cdp.send("WebAuthn.addVirtualAuthenticator", JsonParser.parseString("""
                {"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": true, "hasUserVerification": true,
                 "isUserVerified": true, "automaticPresenceSimulation": true}}""").getAsJsonObject());
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
