package platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestPasskeys;
import accounts.TestWallet;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import platform.ApiWorld.Party;
import platform.ApiWorld.Role;

/**
 * Who may change what: every mutating operation (POST, PUT, PATCH, DELETE of the OpenAPI
 * document, and every form post of the pages, found in the resource classes) × anonymous,
 * customer, operator of another pool, admin, and the owner of what it acts on. One table holds
 * the intended outcome of each cell; the test fails when an operation has no row, or a row names
 * an operation that no longer exists, so a new endpoint cannot be added without deciding its rights.
 *
 * <p>Outcomes. U: asked to sign in (401; a page redirects to /signin). D: denied (403, or 404 for
 * what is not the caller's to see; a page answers with its error instead of doing it). A: the
 * rights check passes (a 2xx, or a refusal on the merits: 400, 409, 422; on a page, any answer but
 * U). The roles act in the order of {@link Role}, the owner last; operations that change the world
 * for the next one ({@link #FRESH_WORLD}) get a world of their own.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class AuthorizationMatrixTest {

    enum Outcome { U, D, A }

    private static final Outcome U = Outcome.U;
    private static final Outcome D = Outcome.D;
    private static final Outcome A = Outcome.A;

    /** One request: what a role sends to an operation in a given world. */
    record Call(String method, String path, Object body, boolean form, Map<String, String> headers) {
        static Call json(String method, String path, Object body) {
            return new Call(method, path, body, false, Map.of());
        }

        static Call form(String path, Map<String, ?> fields) {
            return new Call("POST", path, fields, true, Map.of());
        }

        Call withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Call(method, path, body, form, more);
        }
    }

    /** A row: the outcome per role in the order ANONYMOUS, CUSTOMER, OTHER_OPERATOR, ADMIN, OWNER, and the request. */
    record Row(List<Outcome> expected, BiFunction<ApiWorld, Role, Call> call) {
    }

    private static Row row(Outcome anonymous, Outcome customer, Outcome otherOperator, Outcome admin, Outcome owner,
                           BiFunction<ApiWorld, Role, Call> call) {
        return new Row(List.of(anonymous, customer, otherOperator, admin, owner), call);
    }

    /** The caller's own operator where it has one, else the owner's (someone else's). */
    private static long operatorOf(ApiWorld w, Role role) {
        Party party = w.party(role);
        return party != null && party.operatorId() != null ? party.operatorId() : w.owner.operatorId();
    }

    private static TestWallet walletOf(ApiWorld w, Role role) {
        Party party = w.party(role);
        return party == null ? TestWallet.random() : party.wallet();
    }

    private static final Map<ApiWorld, String> CERTIFICATES = new java.util.IdentityHashMap<>();

    /** The owner's certificate: one per world for those who may not revoke it, a new one for each who may. */
    private static String certificate(ApiWorld w, Role role) {
        if (role == Role.ADMIN || role == Role.OWNER) {
            return ApiWorld.newCertificate(w.owner);
        }
        return CERTIFICATES.computeIfAbsent(w, world -> ApiWorld.newCertificate(world.owner));
    }

    private static final Map<ApiWorld, String> ORDERS = new java.util.IdentityHashMap<>();

    /** A spot rental of the owner's (given DCs) on a GPU of its own added to the world's pool: the others may not stop it. */
    private static String ownersOrder(ApiWorld w) {
        return ORDERS.computeIfAbsent(w, world -> {
            long gpu = ApiWorld.gpu(world.owner, world.selfPool, ApiWorld.newGpuUuid());
            pools.TestPools.arrangeMinted(gpu);
            credits.TestCredits.give(world.owner.address(), 1_000_000);
            return given().auth().oauth2(world.owner.token()).header("Idempotency-Key", "matrix-" + world.selfPool)
                    .contentType(ContentType.JSON).body(Map.of("poolId", world.selfPool, "kind", "SPOT", "gpus", 1))
                    .post("/api/market/orders").then().statusCode(201).extract().path("id");
        });
    }

    private static Map<String, Object> marketOrder(ApiWorld w) {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(3));
        return Map.of("poolId", w.selfPool, "kind", "RESERVED", "gpus", 1, "start", start.toString(),
                "end", start.plus(Duration.ofHours(1)).toString());
    }

    /** Operations that change the world for the next one (a session ends, a GPU or member leaves): each gets a fresh world. */
    private static final java.util.Set<String> FRESH_WORLD = java.util.Set.of(
            "POST /api/auth/signout", "POST /signout", "POST /api/gpus/{id}/leave", "POST /operator/gpus/{gpuId}/leave",
            "POST /api/pools/{id}/members/{operatorId}/approve", "POST /api/pools/{id}/members/{operatorId}/refuse",
            "POST /api/pools/{id}/members/{operatorId}/kick", "POST /api/pools/{id}/members/{operatorId}/leave",
            "POST /operator/pools/{id}/members/{operatorId}/{action}");

    private static Map<String, Object> scenario() {
        String holder = "0x" + "ab".repeat(20);
        return Map.of("emission", "1000", "pools", List.of(Map.of("id", "p1", "operatorBps", 1000, "poolBps", 6000, "usedGpuBps", 3000,
                "operatorHolder", holder, "gpus", List.of(Map.of("id", "g1", "holder", holder, "onlineSeconds", 3600, "dcConsumed", 10)))));
    }

    private static Map<String, Object> model() {
        return given().get("/api/gpu/models/h100-sxm").then().statusCode(200).extract().jsonPath().getMap("");
    }

    /** splitAt(1, 3600): a call a passkey account's wallet may ask for. */
    static final String WALLET_SPLIT = "0x" + org.web3j.crypto.Hash.sha3String("splitAt(uint256,uint64)").substring(2, 10)
            + "%064x".formatted(1) + "%064x".formatted(3600);

    /** The address of one of the marketplace's contracts. */
    static String contract(String name) {
        return given().get("/api/chain").then().statusCode(200).extract().path("contracts." + name);
    }

    private static Map<String, Object> siwe(TestWallet wallet) {
        String message = wallet.message(TestWallet.terms(), Instant.now(), Duration.ofMinutes(5));
        return Map.of("message", message, "signature", wallet.sign(message));
    }

    private static Map<String, Object> formOfPool(long operatorId) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("operatorId", operatorId);
        form.put("name", "Form pool");
        form.put("mode", "SELF");
        form.put("modelId", "h100-sxm");
        form.put("region", "eu");
        form.put("spotUsdPerHour", "1.00");
        form.put("onDemandUsdPerHour", "2.00");
        form.put("reserved", "");
        form.put("operatorBps", 1000);
        form.put("poolBps", 6000);
        form.put("usedGpuBps", 3000);
        form.put("noticePeriodHours", 24);
        form.put("minUptimePercent", "95");
        form.put("windowHours", 24);
        form.put("maxFailures", 3);
        form.put("warningGraceHours", 24);
        return form;
    }

    /** The table. Keys are "METHOD /path" exactly as the OpenAPI document (or the page resource) writes them. */
    static final Map<String, Row> TABLE = new LinkedHashMap<>();

    static {
        // --- accounts
        TABLE.put("POST /api/auth/message", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/auth/message", Map.of("address", walletOf(w, r).address()))));
        TABLE.put("POST /api/auth/siwe", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/auth/siwe", siwe(walletOf(w, r)))));
        // passkeys: anyone may start or finish a ceremony (its answer proves who it is, or it is refused)
        TABLE.put("POST /api/passkeys/registration/options", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/passkeys/registration/options", Map.of("displayName", "Ada"))));
        TABLE.put("POST /api/passkeys/sign-in/options", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/passkeys/sign-in/options", Map.of())));
        // an answer that no authenticator made is refused as a failed sign-in (401), whoever sends it
        TABLE.put("POST /api/passkeys/registration", row(U, U, U, U, U,
                (w, r) -> Call.json("POST", "/api/passkeys/registration", Map.of("handle", "new-00000000-0000-0000-0000-000000000000",
                        "credential", Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
                                "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"))))));
        TABLE.put("POST /api/passkeys/sign-in", row(U, U, U, U, U,
                (w, r) -> Call.json("POST", "/api/passkeys/sign-in", Map.of("credential", Map.of("id", "AAAA", "rawId", "AAAA",
                        "type", "public-key", "response", Map.of("clientDataJSON", "e30", "authenticatorData", "AA", "signature", "AA"))))));
        // a recovery code that is not the account's is refused as a failed sign-in (401), whoever sends it
        TABLE.put("POST /api/passkeys/recovery", row(U, U, U, U, U,
                (w, r) -> Call.json("POST", "/api/passkeys/recovery", Map.of("address", walletOf(w, r).address(),
                        "code", "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OA"))));
        TABLE.put("POST /api/auth/signout", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/auth/signout", null)));
        TABLE.put("POST /api/me/api-keys", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/me/api-keys", Map.of("name", "matrix"))));
        TABLE.put("DELETE /api/me/api-keys/{id}", row(U, D, D, D, A,
                (w, r) -> Call.json("DELETE", "/api/me/api-keys/" + ApiWorld.newApiKey(w.owner), null)));
        TABLE.put("PUT /api/me/email", row(U, A, A, A, A,
                (w, r) -> Call.json("PUT", "/api/me/email", Map.of("email", "matrix@example.com"))));
        // passkeys and recovery codes are a passkey account's own (the owner here): the world's wallet
        // accounts are refused (403); another passkey account's passkey is not found (accounts.AccountProfileTest)
        TABLE.put("POST /api/me/recovery-code", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/me/recovery-code", null)));
        TABLE.put("POST /api/me/passkeys/options", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/me/passkeys/options", null)));
        // an answer no authenticator made: the owner's refusal is on the merits (400)
        TABLE.put("POST /api/me/passkeys", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/me/passkeys", Map.of("name", "Laptop", "credential", Map.of("id", "AAAA",
                        "rawId", "AAAA", "type", "public-key", "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"))))));
        TABLE.put("PATCH /api/me/passkeys/{id}", row(U, D, D, D, A,
                (w, r) -> Call.json("PATCH", "/api/me/passkeys/" + passkeyOwner(w).passkey(), Map.of("name", "Renamed"))));
        TABLE.put("DELETE /api/me/passkeys/{id}", row(U, D, D, D, A,
                (w, r) -> Call.json("DELETE", "/api/me/passkeys/" + TestPasskeys.addPasskey(passkeyOwner(w).account().address()), null)));
        TABLE.put("POST /account/api-keys", row(U, A, A, A, A,
                (w, r) -> Call.form("/account/api-keys", Map.of("name", "matrix"))));
        TABLE.put("POST /account/api-keys/{id}/revoke", row(U, D, D, D, A,
                (w, r) -> Call.form("/account/api-keys/" + ApiWorld.newApiKey(w.owner) + "/revoke", Map.of())));
        TABLE.put("POST /signout", row(A, A, A, A, A,
                (w, r) -> Call.form("/signout", Map.of())));

        // --- chain
        TABLE.put("POST /api/admin/chain/token-mints", row(U, D, D, A, D,
                (w, r) -> Call.json("POST", "/api/admin/chain/token-mints", Map.of("mints", List.of(Map.of("to", w.customer.address(), "amount", "1"))))));
        TABLE.put("POST /chain/token-mints", row(U, D, D, A, D,
                (w, r) -> Call.form("/chain/token-mints", Map.of("to", w.customer.address(), "amount", "1"))));
        // managed wallets: the platform signs only for a passkey account's own wallet; every party here is a wallet
        // account, and each asks for the owner's wallet besides (403 either way, the owner included)
        TABLE.put("POST /api/wallet/acts", row(U, D, D, D, D,
                (w, r) -> Call.json("POST", "/api/wallet/acts", Map.of("from", w.owner.address(), "to", contract("TimeSlotNFT"),
                        "data", WALLET_SPLIT))));
        TABLE.put("POST /api/wallet/withdrawal", row(U, D, D, D, D,
                (w, r) -> Call.json("POST", "/api/wallet/withdrawal", null)));
        TABLE.put("POST /api/wallet/calls", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/wallet/calls", Map.of("to", contract("BerkeleyToken"),
                        "data", "0x70a08231" + "0".repeat(24) + w.owner.address().substring(2).toLowerCase(java.util.Locale.ROOT)))));
        TABLE.put("POST /api/me/linked-wallet/message", row(U, D, D, D, D,
                (w, r) -> Call.json("POST", "/api/me/linked-wallet/message", Map.of("address", TestWallet.random().address()))));
        TABLE.put("PUT /api/me/linked-wallet", row(U, D, D, D, D,
                (w, r) -> Call.json("PUT", "/api/me/linked-wallet", siwe(TestWallet.random()))));
        TABLE.put("DELETE /api/me/linked-wallet", row(U, D, D, D, D,
                (w, r) -> Call.json("DELETE", "/api/me/linked-wallet", null)));

        // --- pools' node agent: GPUs the caller does not operate come back as unknown and change nothing
        TABLE.put("POST /api/agent/heartbeats", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/agent/heartbeats", Map.of("gpus", List.of(w.gpuUuid)))));

        // --- credits
        // card payments (Stripe Checkout at the test's Stripe stand-in): any signed-in wallet buys for itself
        TABLE.put("POST /api/credits/checkout", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/credits/checkout", Map.of("usd", "25.00"))));
        TABLE.put("POST /credits/checkout", row(U, A, A, A, A,
                (w, r) -> Call.form("/credits/checkout", Map.of("usd", "25.00"))));
        // anonymous by design (Stripe calls it); only a valid Stripe-Signature makes it act: unsigned, a 400 for everyone
        TABLE.put("POST /api/credits/stripe/webhook", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/credits/stripe/webhook", Map.of("id", "evt_matrix", "type", "checkout.session.completed"))));
        TABLE.put("POST /api/epochs/simulate", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/epochs/simulate", scenario())));
        TABLE.put("PUT /api/admin/credits/price", row(U, D, D, A, D,
                (w, r) -> Call.json("PUT", "/api/admin/credits/price", Map.of("usdPerToken", "0.25"))));
        TABLE.put("POST /admin/credits/price", row(U, D, D, A, D,
                (w, r) -> Call.form("/admin/credits/price", Map.of("usdPerToken", "0.25"))));
        // the faucet serves the caller's own wallet (the world's wallets hold no ether: granted once, then 409)
        TABLE.put("POST /api/credits/faucet", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/credits/faucet", null)));
        // the market: a quote changes nothing (anyone); an order is the caller's own (without DCs a 402, on the merits);
        // only its customer stops a rental (another's is not found, admins included)
        TABLE.put("POST /api/market/quotes", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/market/quotes", marketOrder(w))));
        TABLE.put("POST /api/market/orders", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/market/orders", marketOrder(w)).withHeader("Idempotency-Key", "matrix-" + r)));
        TABLE.put("POST /api/market/orders/{id}/stop", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/market/orders/" + ownersOrder(w) + "/stop", null)));
        // what runs on a slot: only its holder (or its ERC-4907 user) sets it, admins included (403); the owner's
        // rental may be stopped by then (409, on the merits)
        TABLE.put("PUT /api/market/slots/{tokenId}/workload", row(U, D, D, D, A,
                (w, r) -> Call.json("PUT", "/api/market/slots/" + ownersOrder(w) + "/workload",
                        Map.of("workload", Map.of("image", "docker.io/library/ubuntu:24.04")))));
        // a quote changes nothing: anyone may ask (answered, or 409 without a price on chain)
        TABLE.put("POST /api/credits/quote", row(A, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/credits/quote", Map.of("tokens", "1000000000000000000"))));

        // --- gpu
        TABLE.put("PUT /api/gpu/models/{id}", row(U, D, D, A, D,
                (w, r) -> Call.json("PUT", "/api/gpu/models/h100-sxm", model())));
        TABLE.put("POST /gpu/models/{id}", row(U, D, D, A, D,
                (w, r) -> Call.form("/gpu/models/h100-sxm", Map.of("name", "NVIDIA H100 SXM"))));
        TABLE.put("POST /api/gpu/challenges", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/gpu/challenges", null)));
        TABLE.put("POST /api/gpu/reports", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/gpu/reports", Map.of("report", Map.of(), "signature", "0x" + "00".repeat(65)))));
        // proof sessions are their operator's alone: someone else's is not found; anyone signed in may open one
        TABLE.put("POST /api/gpu/sessions", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/gpu/sessions", Map.of("gpus", List.of(Map.of("uuid", ApiWorld.newGpuUuid(), "model", "h100-sxm"))))));
        TABLE.put("POST /api/gpu/sessions/{id}/answers", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/gpu/sessions/" + ApiWorld.newProofSession(w.owner) + "/answers", Map.of("step", 1))));
        TABLE.put("POST /api/gpu/sessions/{id}/reports", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/gpu/sessions/" + ApiWorld.newProofSession(w.owner) + "/reports",
                        Map.of("report", Map.of(), "signature", "0x" + "00".repeat(65)))));
        TABLE.put("POST /api/gpu/spot-checks/due", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/gpu/spot-checks/due", Map.of("gpus", List.of(ApiWorld.newGpuUuid())))));
        TABLE.put("DELETE /api/gpu/certificates/{hash}", row(U, D, D, A, A,
                (w, r) -> Call.json("DELETE", "/api/gpu/certificates/" + certificate(w, r), null)));
        TABLE.put("POST /gpu/certificates/{hash}/revoke", row(U, D, D, A, A,
                (w, r) -> Call.form("/gpu/certificates/" + certificate(w, r) + "/revoke", Map.of())));
        TABLE.put("POST /api/gpu/host-keys", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/gpu/host-keys", Map.of("address", TestWallet.random().address(), "label", "matrix"))));
        TABLE.put("POST /gpu/host-keys", row(U, A, A, A, A,
                (w, r) -> Call.form("/gpu/host-keys", Map.of("address", TestWallet.random().address(), "label", "matrix"))));
        TABLE.put("DELETE /api/gpu/host-keys/{id}", row(U, D, D, D, A,
                (w, r) -> Call.json("DELETE", "/api/gpu/host-keys/" + ApiWorld.newHostKey(w.owner), null)));
        TABLE.put("POST /gpu/host-keys/{id}/revoke", row(U, D, D, D, A,
                (w, r) -> Call.form("/gpu/host-keys/" + ApiWorld.newHostKey(w.owner) + "/revoke", Map.of())));

        // --- pools
        TABLE.put("POST /api/operators", row(U, A, A, A, A,
                (w, r) -> Call.json("POST", "/api/operators", Map.of("name", "Matrix operator"))));
        TABLE.put("POST /operator", row(U, A, A, A, A,
                (w, r) -> Call.form("/operator", Map.of("name", "Matrix operator"))));
        TABLE.put("POST /api/pools", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/pools", ApiWorld.poolBody(w.owner.operatorId(), "SELF"))));
        TABLE.put("POST /operator/pools", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/pools", formOfPool(w.owner.operatorId()))));
        TABLE.put("PUT /api/pools/{id}", row(U, D, D, D, A,
                (w, r) -> Call.json("PUT", "/api/pools/" + w.selfPool, Map.of("name", "Renamed"))));
        TABLE.put("POST /operator/pools/{id}", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/pools/" + w.selfPool, Map.of("name", "Renamed"))));
        TABLE.put("POST /api/pools/{id}/gpus", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/pools/" + w.selfPool + "/gpus", ApiWorld.gpuBody(operatorOf(w, r), ApiWorld.newGpuUuid()))));
        TABLE.put("POST /operator/pools/{id}/gpus", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/pools/" + w.selfPool + "/gpus", ApiWorld.gpuBody(operatorOf(w, r), ApiWorld.newGpuUuid()))));
        TABLE.put("POST /api/gpus/{id}/mint", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/gpus/" + w.gpuId + "/mint", Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01"))));
        TABLE.put("POST /operator/gpus/{gpuId}/mint", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/gpus/" + w.gpuId + "/mint", Map.of("purchaseDate", "2025-01-10", "inServiceDate", "2025-02-01"))));
        // the owner's GPU has no refused mint: 409 on the merits
        TABLE.put("POST /api/gpus/{id}/mint/retry", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/gpus/" + w.gpuId + "/mint/retry", Map.of())));
        TABLE.put("POST /operator/gpus/{gpuId}/mint/retry", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/gpus/" + w.gpuId + "/mint/retry", Map.of())));
        TABLE.put("POST /api/gpus/{id}/leave", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/gpus/" + w.gpuId + "/leave", Map.of("reason", "matrix"))));
        TABLE.put("POST /operator/gpus/{gpuId}/leave", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/gpus/" + w.gpuId + "/leave", Map.of("reason", "matrix"))));
        // joining: any operator may ask with its own operator (the "owner" is the pool's operator asking
        // with its own, refused on the merits); with someone else's operator it is denied
        TABLE.put("POST /api/pools/{id}/members", row(U, D, A, D, A,
                (w, r) -> Call.json("POST", "/api/pools/" + w.distributedPool + "/members", Map.of("operatorId", operatorOf(w, r), "message", "hi"))));
        TABLE.put("POST /operator/pools/{id}/members", row(U, D, A, D, A,
                (w, r) -> Call.form("/operator/pools/" + w.distributedPool + "/members", Map.of("operatorId", operatorOf(w, r), "message", "hi"))));
        TABLE.put("POST /api/pools/{id}/members/{operatorId}/approve", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/pools/" + w.distributedPool + "/members/" + w.member.operatorId() + "/approve", null)));
        TABLE.put("POST /api/pools/{id}/members/{operatorId}/refuse", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/pools/" + w.distributedPool + "/members/" + w.member.operatorId() + "/refuse", Map.of("reason", "matrix"))));
        TABLE.put("POST /api/pools/{id}/members/{operatorId}/kick", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/pools/" + w.distributedPool + "/members/" + w.member.operatorId() + "/kick", Map.of("reason", "matrix"))));
        // leaving is the member's own act: here the owner is the member
        TABLE.put("POST /api/pools/{id}/members/{operatorId}/leave", row(U, D, D, D, A,
                (w, r) -> Call.json("POST", "/api/pools/" + w.distributedPool + "/members/" + w.member.operatorId() + "/leave", null)));
        TABLE.put("POST /operator/pools/{id}/members/{operatorId}/{action}", row(U, D, D, D, A,
                (w, r) -> Call.form("/operator/pools/" + w.distributedPool + "/members/" + w.member.operatorId() + "/approve", Map.of())));
    }

    /** A passkey account of the world, with a passkey of its own besides its first. */
    private record PasskeyOwner(TestPasskeys.Account account, String passkey) {
        /** Signed in as a passkey account; it has no wallet key of its own to sign with. */
        Party party() {
            return new Party(null, account.token(), null);
        }
    }

    private static final Map<ApiWorld, PasskeyOwner> PASSKEY_OWNERS = new java.util.IdentityHashMap<>();

    private static PasskeyOwner passkeyOwner(ApiWorld w) {
        return PASSKEY_OWNERS.computeIfAbsent(w, world -> {
            TestPasskeys.Account account = TestPasskeys.create();
            return new PasskeyOwner(account, TestPasskeys.addPasskey(account.address()));
        });
    }

    /** Operations whose owner is not the pool's operator. */
    private static final Map<String, java.util.function.Function<ApiWorld, Party>> OWNER_IS = Map.of(
            "POST /api/pools/{id}/members/{operatorId}/leave", w -> w.member,
            "POST /api/me/recovery-code", w -> passkeyOwner(w).party(),
            "POST /api/me/passkeys/options", w -> passkeyOwner(w).party(),
            "POST /api/me/passkeys", w -> passkeyOwner(w).party(),
            "PATCH /api/me/passkeys/{id}", w -> passkeyOwner(w).party(),
            "DELETE /api/me/passkeys/{id}", w -> passkeyOwner(w).party());

    private static final List<String> MUTATING = List.of("POST", "PUT", "PATCH", "DELETE");

    /** The mutating operations: the document's, and the page resources' form posts (which the document leaves out). */
    static List<String> mutatingOperations() {
        List<String> operations = new ArrayList<>(ApiWorld.operations(ApiWorld.openApi()).stream()
                .filter(op -> MUTATING.contains(op.substring(0, op.indexOf(' ')))).toList());
        operations.addAll(pageFormPosts());
        return operations;
    }

    /** "POST /operator/pools/{id}" for every mutating method of a resource that produces HTML. */
    static List<String> pageFormPosts() {
        List<String> found = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("accounts", "chain", "credits", "gpu", "market", "platform", "pools")) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            Produces produces = resource.getAnnotation(Produces.class);
            boolean html = produces != null && Arrays.asList(produces.value()).contains("text/html");
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(POST.class) ? "POST" : method.isAnnotationPresent(PUT.class) ? "PUT"
                        : method.isAnnotationPresent(DELETE.class) ? "DELETE" : method.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
                Produces own = method.getAnnotation(Produces.class);
                boolean page = own != null ? Arrays.asList(own.value()).contains("text/html") : html;
                if (verb == null || !page) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = (base + "/" + (sub == null ? "" : sub.value())).replaceAll("/+", "/");
                if (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                found.add(verb + " " + path);
            }
        }
        return found;
    }

    @Test
    void everyMutatingOperationHasARowAndEveryRowAnOperation() {
        List<String> operations = mutatingOperations();
        assertThat(new TreeSet<>(TABLE.keySet()))
                .as("the table's operations: add a row for a new operation, drop the row of a removed one")
                .isEqualTo(new TreeSet<>(operations));
    }

    @Test
    void eachRoleGetsWhatTheTableSays() {
        List<String> wrong = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        ApiWorld shared = ApiWorld.create();
        List<String> operations = new ArrayList<>(mutatingOperations());
        operations.sort(java.util.Comparator.comparing(FRESH_WORLD::contains)); // the shared world's users first
        for (String operation : operations) {
            Row row = TABLE.get(operation);
            if (row == null) {
                continue; // reported by the other test
            }
            ApiWorld world = FRESH_WORLD.contains(operation) ? ApiWorld.create() : shared;
            for (Role role : Role.values()) {
                Party party = role == Role.OWNER && OWNER_IS.containsKey(operation) ? OWNER_IS.get(operation).apply(world)
                        : world.party(role);
                Call call = row.call().apply(world, role);
                Response response = send(call, party, world);
                Outcome expected = row.expected().get(role.ordinal());
                Outcome actual = outcome(call, response);
                seen.add(operation + " | " + role + " | " + response.statusCode()
                        + (response.header("Location") != null ? " " + response.header("Location").replaceAll("\\?.*error=.*", "?error=…") : ""));
                boolean pageRefusedOnTheMerits = call.form() && expected == A && actual == D;
                if (actual != expected && !pageRefusedOnTheMerits) {
                    wrong.add(operation + " as " + role + ": expected " + expected + ", got " + response.statusCode()
                            + (response.header("Location") != null ? " -> " + response.header("Location") : "")
                            + " " + abbreviate(response.asString()));
                }
            }
        }
        System.out.println("Authorization matrix, as answered:\n    " + String.join("\n    ", seen));
        assertThat(wrong).as("cells of the authorization matrix that do not hold").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Response send(Call call, Party party, ApiWorld world) {
        RequestSpecification request = given().redirects().follow(false);
        if (call.form()) {
            // the anonymous caller holds a CSRF token too (from any page), so that only its rights are tested
            ApiWorld.Csrf csrf = ApiWorld.csrf(party != null ? party : world.customer);
            request = request.accept("text/html").contentType(ContentType.URLENC).cookie("bc_csrf", csrf.cookie())
                    .formParam("csrf-token", csrf.token());
            if (party != null) {
                request = request.cookie("bc_session", party.token());
            }
            for (Map.Entry<String, ?> field : ((Map<String, ?>) call.body()).entrySet()) {
                request = request.formParam(field.getKey(), String.valueOf(field.getValue()));
            }
            return request.post(call.path());
        }
        request = request.accept(ContentType.JSON);
        if (party != null) {
            request = request.auth().oauth2(party.token());
        }
        request = request.contentType(ContentType.JSON); // as a JSON client sends it, also without a body
        request = request.headers(call.headers());
        if (call.body() != null) {
            request = request.body(call.body());
        }
        return request.request(call.method(), call.path());
    }

    private static Outcome outcome(Call call, Response response) {
        int status = response.statusCode();
        if (status >= 500 || status == 405 || status == 415) {
            return null;
        }
        if (status == 401) {
            return U;
        }
        String location = response.header("Location");
        if (status == 303 || status == 302) {
            if (location != null && location.contains("/signin")) {
                return U;
            }
            return location != null && location.contains("error=") ? D : A;
        }
        if (status == 403 || status == 404) {
            return D;
        }
        if (call.form()) {
            // a page that answers in place (its error page) with a refusal
            return status >= 400 ? D : A;
        }
        return A;
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }
}
