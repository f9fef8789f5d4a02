package chain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import accounts.TestWallet;
import chain.contracts.BerkeleyToken;
import chain.contracts.OperatorNFT;
import chain.contracts.TimeSlotNFT;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import platform.DomainException;

/** The chain module through its facade and its API, against the app's own embedded anvil. */
@QuarkusTest
class ChainFacadeTest {

    @Inject
    Chain chain;

    @Inject
    platform.PlatformConfig platform;

    @Inject
    ChainClient client;

    @Inject
    jakarta.persistence.EntityManager em;

    private static BigInteger newTokenId() {
        return new BigInteger(64, new java.security.SecureRandom());
    }

    private static <T> T await(String what, Supplier<T> probe, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what + "; last seen: " + value);
            }
            Thread.sleep(50);
            value = probe.get();
        }
        return value;
    }

    private EffectStatus awaitDone(String key) throws InterruptedException {
        return await("effect " + key, () -> chain.effect(key).orElseThrow(), EffectStatus::done);
    }

    private Web3j rpc() throws InterruptedException {
        await("the contracts deployed", () -> chain.info().contracts().size(), n -> n == ContractName.values().length);
        return Web3j.build(new HttpService(chain.info().embeddedRpc().orElseThrow()));
    }

    /** A wallet the test holds, with ether for gas (anvil cheat code). */
    private Credentials fundedWallet(Web3j web3j) throws Exception {
        Credentials wallet = Credentials.create(Keys.createEcKeyPair());
        new Request<>("anvil_setBalance", List.of(wallet.getAddress(), "0xde0b6b3a7640000"),
                new HttpService(chain.info().embeddedRpc().orElseThrow()), ChainClient.AnvilResponse.class).send();
        return wallet;
    }

    private static RawTransactionManager transactions(Web3j web3j, Credentials as) {
        return new RawTransactionManager(web3j, as, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 400));
    }

    private static StaticEIP1559GasProvider gas() {
        return new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(300_000));
    }

    /** Freezes the app's embedded chain (SIGSTOP: it stops answering, as a hung node does) while {@code whileDown} runs. */
    private void withTheChainFrozen(ThrowingRunnable whileDown) throws Exception {
        String pid = java.nio.file.Files.readString(platform.dataDir().resolve("chain/anvil.pid")).trim();
        signal("STOP", pid);
        try {
            whileDown.run();
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String signal, String pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor()).as("kill -" + signal).isZero();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private OperatorNFT operatorNft(Web3j web3j, Credentials as) {
        return OperatorNFT.load(chain.contractAddress(ContractName.OperatorNFT).orElseThrow(), web3j,
                new RawTransactionManager(web3j, as, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 400)),
                new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(300_000)));
    }

    @Test
    void anNftMintedThroughTheFacadeIsOwnedOnChainAndATransferOnChainReachesTheDatabase() throws Exception {
        Web3j web3j = rpc();
        Credentials holder = fundedWallet(web3j);
        Credentials buyer = Credentials.create(Keys.createEcKeyPair());
        BigInteger id = newTokenId();
        String key = "test-operator:" + id;

        QuarkusTransaction.requiringNew().run(() -> chain.request(key, new ChainEffect.MintOperatorNft(holder.getAddress(), id)));
        EffectStatus status = awaitDone(key);

        assertThat(status.status()).isEqualTo(EffectStatus.Status.CONFIRMED);
        assertThat(status.txHash()).matches("0x[0-9a-f]{64}");
        assertThat(operatorNft(web3j, holder).ownerOf(id).send()).isEqualToIgnoringCase(holder.getAddress());
        Token minted = await("the mint in the mirror", () -> chain.token(AssetKind.OPERATOR, id), t -> t.isPresent()).orElseThrow();
        assertThat(minted.owner()).isEqualToIgnoringCase(holder.getAddress());
        assertThat(minted.mintedTx()).isEqualTo(status.txHash());

        // sold on another marketplace: a transfer the holder signs, not the app
        operatorNft(web3j, holder).transferFrom(holder.getAddress(), buyer.getAddress(), id).send();

        Token moved = await("the transfer in the mirror", () -> chain.token(AssetKind.OPERATOR, id).orElseThrow(),
                t -> t.owner().equalsIgnoreCase(buyer.getAddress()));
        assertThat(moved.lastTx()).isNotEqualTo(status.txHash());
        assertThat(chain.tokensOf(AssetKind.OPERATOR, buyer.getAddress())).extracting(Token::tokenId).containsExactly(id);
        web3j.shutdown();
    }

    @Test
    void askingTwiceWithTheSameKeyMakesOneEffect() throws Exception {
        BigInteger id = newTokenId();
        String key = "test-twice:" + id;
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        QuarkusTransaction.requiringNew().run(() -> chain.request(key, new ChainEffect.MintOperatorNft(to, id)));
        QuarkusTransaction.requiringNew().run(() -> chain.request(key, new ChainEffect.MintOperatorNft(to, id)));
        assertThat(awaitDone(key).status()).isEqualTo(EffectStatus.Status.CONFIRMED);
        assertThat(chain.recentEffects(java.util.Optional.empty(), 500)).filteredOn(e -> e.key().equals(key)).hasSize(1);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(
                () -> chain.request(key, new ChainEffect.MintOperatorNft(to, id.add(BigInteger.ONE)))))
                .isInstanceOf(DomainException.class).hasMessageContaining("already used");
    }

    @Test
    void anEffectOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> chain.request("x", new ChainEffect.MintTokens(Addresses.ZERO.replace("0x0", "0x1"), BigInteger.ONE)))
                .isInstanceOf(jakarta.transaction.TransactionalException.class);
    }

    @Test
    void anEffectTheChainRevertsIsMarkedFailed() throws Exception {
        BigInteger id = newTokenId();
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        QuarkusTransaction.requiringNew().run(() -> chain.request("first:" + id, new ChainEffect.MintOperatorNft(to, id)));
        assertThat(awaitDone("first:" + id).status()).isEqualTo(EffectStatus.Status.CONFIRMED);
        QuarkusTransaction.requiringNew().run(() -> chain.request("second:" + id, new ChainEffect.MintOperatorNft(to, id)));
        EffectStatus second = awaitDone("second:" + id);
        assertThat(second.status()).isEqualTo(EffectStatus.Status.FAILED);
        assertThat(second.lastError()).contains("Reverted");
    }

    @Test
    void theApiDescribesTheChainAndItsContracts() {
        given().get("/api/chain").then()
                .statusCode(200)
                .body("chainId", equalTo(31337))
                .body("rpc", startsWith("http://127.0.0.1:"))
                .body("contracts", hasKey("OperatorNFT"))
                .body("contracts", hasKey("GpuNFT"))
                .body("contracts", hasKey("TimeSlotNFT"))
                .body("contracts", hasKey("BerkeleyToken"))
                .body("contracts", hasKey("CreditsBurner"))
                .body("contracts", hasKey("EpochRewards"))
                .body("contracts", hasKey("SlotMarket"))
                .body("contracts.OperatorNFT", matchesPattern("0x[0-9a-f]{40}"));
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("Chain"));
    }

    @Test
    void adminsMintTokensOnceAndOthersMayNot() throws Exception {
        String admin = TestWallet.ADMIN.signIn();
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("mints", List.of(Map.of("to", to, "amount", "1000000000000000000", "key", key)));

        given().auth().oauth2(TestWallet.random().signIn()).contentType(ContentType.JSON).body(body)
                .post("/api/admin/chain/token-mints").then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).post("/api/admin/chain/token-mints").then().statusCode(202);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).post("/api/admin/chain/token-mints").then().statusCode(202);
        awaitDone("treasury-mint:" + key);

        Web3j web3j = rpc();
        BerkeleyToken token = BerkeleyToken.load(chain.contractAddress(ContractName.BerkeleyToken).orElseThrow(), web3j,
                Credentials.create(Keys.createEcKeyPair()), new org.web3j.tx.gas.DefaultGasProvider());
        assertThat(token.balanceOf(to).send()).isEqualTo(BigInteger.TEN.pow(18));
        web3j.shutdown();
    }

    @Test
    void badMintsAreRefusedWithTheFieldAndChangeNothing() {
        String admin = TestWallet.ADMIN.signIn();
        long before = chain.outbox().pending() + chain.outbox().sent() + chain.outbox().confirmed() + chain.outbox().failed();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("mints", List.of(Map.of("to", "0x12", "amount", "1"))))
                .post("/api/admin/chain/token-mints").then()
                .statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("to")));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("mints", List.of(Map.of("to", "0x" + "1".repeat(40), "amount", "-5"))))
                .post("/api/admin/chain/token-mints").then()
                .statusCode(400);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("mints", List.of(Map.of("to", "0x" + "1".repeat(40), "amount", "0"))))
                .post("/api/admin/chain/token-mints").then()
                .statusCode(400).body("detail", org.hamcrest.Matchers.containsString("more than zero"));
        assertThat(chain.recentEffects(java.util.Optional.empty(), 500).stream()
                .filter(e -> e.requestedAt().isAfter(Instant.now().minusSeconds(5)) && e.kind().equals("MintTokens")
                        && e.key().startsWith("treasury-mint:")).count())
                .as("nothing new in the outbox from refused requests").isLessThanOrEqualTo(before);
    }

    @Test
    void tokensAndMetadataAreServedForWalletsAndMarketplaces() throws Exception {
        BigInteger id = newTokenId();
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        QuarkusTransaction.requiringNew().run(() -> chain.request("gpu:" + id, new ChainEffect.MintGpuNft(to, id,
                new ChainEffect.GpuNftMetadata("H100 SXM", "SN-1234", Instant.parse("2025-01-15T00:00:00Z"),
                        Instant.parse("2025-02-01T00:00:00Z"), "https://dc.example/hosting", "https://dc.example/ownership",
                        "0x" + "1f".repeat(32)))));
        awaitDone("gpu:" + id);
        await("the GPU in the mirror", () -> chain.token(AssetKind.GPU, id), java.util.Optional::isPresent);

        given().get("/api/chain/metadata/gpu/" + id).then()
                .statusCode(200)
                .body("name", equalTo("H100 SXM #SN-1234"))
                .body("attributes.find { it.trait_type == 'Certificate hash' }.value", equalTo("0x" + "1f".repeat(32)))
                .body("hosting_agreement_url", equalTo("https://dc.example/hosting"));
        given().get("/api/chain/tokens/gpu/" + id).then()
                .statusCode(200)
                .body("owner", equalTo(to.toLowerCase()))
                .body("contract", equalTo(chain.contractAddress(ContractName.GpuNFT).orElseThrow()));
        given().get("/api/chain/tokens/gpu/999999999999999999999").then().statusCode(404);
        given().get("/api/chain/tokens/dragon/1").then().statusCode(404);
        given().get("/api/chain/tokens/gpu/abc").then().statusCode(400);
    }

    @Test
    void tokenMetadataAndTheChainPageAnswerFromTheDatabaseWhileTheChainIsDown() throws Exception {
        BigInteger id = newTokenId();
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        QuarkusTransaction.requiringNew().run(() -> chain.request("gpu-down:" + id, new ChainEffect.MintGpuNft(to, id,
                new ChainEffect.GpuNftMetadata("RTX 4090", "SN-DOWN-1", Instant.parse("2025-03-01T00:00:00Z"),
                        Instant.parse("2025-03-02T00:00:00Z"), "https://dc.example/h", "https://dc.example/o",
                        "0x" + "2e".repeat(32)))));
        awaitDone("gpu-down:" + id);
        await("the GPU's metadata in the mirror", () -> chain.gpuMetadata(id), java.util.Optional::isPresent);

        withTheChainFrozen(() -> {
            long started = System.nanoTime();
            given().get("/api/chain/metadata/gpu/" + id).then()
                    .statusCode(200)
                    .body("name", equalTo("RTX 4090 #SN-DOWN-1"))
                    .body("attributes.find { it.trait_type == 'Purchase date' }.value",
                            equalTo((int) Instant.parse("2025-03-01T00:00:00Z").getEpochSecond()))
                    .body("attributes.find { it.trait_type == 'Certificate hash' }.value", equalTo("0x" + "2e".repeat(32)));
            given().get("/api/chain/metadata/operator/" + id).then().statusCode(200);
            given().get("/api/chain/metadata/gpu/" + id.add(BigInteger.ONE)).then().statusCode(404);
            given().get("/api/chain/tokens/gpu/" + id).then().statusCode(200).body("owner", equalTo(to.toLowerCase()));
            given().get("/api/chain").then().statusCode(200);
            given().accept(ContentType.HTML).get("/chain").then().statusCode(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered without waiting for the chain")
                    .isLessThan(Duration.ofSeconds(5));
        });
    }

    @Test
    void aSlotLentForGoodWithTheLargestExpiryIsMirroredAsNeverExpiringAndSyncGoesOn() throws Exception {
        Web3j web3j = rpc();
        Credentials holder = fundedWallet(web3j);
        String user = Credentials.create(Keys.createEcKeyPair()).getAddress();
        BigInteger id = newTokenId();
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> chain.request("slot-forever:" + id, new ChainEffect.MintTimeSlot(
                holder.getAddress(), id, BigInteger.valueOf(7), 2, start, start.plus(Duration.ofDays(30)))));
        awaitDone("slot-forever:" + id);
        await("the slot in the mirror", () -> chain.token(AssetKind.TIME_SLOT, id), t -> t.isPresent() && t.get().slot() != null);

        BigInteger forever = BigInteger.TWO.pow(64).subtract(BigInteger.ONE); // type(uint64).max
        TimeSlotNFT.load(chain.contractAddress(ContractName.TimeSlotNFT).orElseThrow(), web3j,
                transactions(web3j, holder), gas()).setUser(id, user, forever).send();

        Token lent = await("the user in the mirror", () -> chain.token(AssetKind.TIME_SLOT, id).orElseThrow(), t -> t.user() != null);
        assertThat(lent.user()).isEqualToIgnoringCase(user);
        assertThat(lent.userExpires().seconds()).isEqualTo(forever);
        assertThat(lent.userExpires().never()).isTrue();
        assertThat(lent.userExpires().instant()).isEmpty();
        assertThat(lent.slot().start().instant()).contains(start);
        given().get("/api/chain/tokens/time-slot/" + id).then()
                .statusCode(200)
                .body("user", equalTo(user.toLowerCase()))
                .body("userExpires", org.hamcrest.Matchers.nullValue())
                .body("userExpiresSeconds", equalTo("18446744073709551615"))
                .body("userNeverExpires", equalTo(true))
                .body("slot.start", equalTo("2026-06-01T00:00:00Z"))
                .body("slot.gpuCount", equalTo(2));

        // event sync did not stop on it: a later mint still reaches the mirror
        BigInteger later = newTokenId();
        QuarkusTransaction.requiringNew().run(() -> chain.request("after-forever:" + later,
                new ChainEffect.MintOperatorNft(holder.getAddress(), later)));
        await("a later mint in the mirror", () -> chain.token(AssetKind.OPERATOR, later), java.util.Optional::isPresent);
        web3j.shutdown();
    }

    @Test
    void theChainPageSaysWhatBlockItSawAndNeverBlockMinusOne() {
        String page = given().accept(ContentType.HTML).get("/chain").then().statusCode(200).extract().asString();
        assertThat(page).doesNotContain("block -1").containsPattern("up at block [0-9]+");
        assertThat(new ChainInfo(31337, java.util.Optional.empty(), Map.of(), true, null, -1, null).state())
                .isEqualTo("up, no block seen yet");
        assertThat(new ChainInfo(31337, java.util.Optional.empty(), Map.of(), false, "starting: the chain has not answered yet", -1, null)
                .state()).isEqualTo("down: starting: the chain has not answered yet (no block seen yet)");
        given().get("/api/chain").then().body("headBlock", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Test
    void chainEndpointsRefuseOversizedNumbersAndStringsBeforeParsingThem() {
        String admin = TestWallet.ADMIN.signIn();
        long started = System.nanoTime();
        given().get("/api/chain/tokens/gpu/" + "9".repeat(3_000)).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("tokenId"));
        given().get("/api/chain/metadata/gpu/" + "1".repeat(79)).then().statusCode(400);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        given().auth().oauth2(admin).queryParam("limit", 501).get("/api/admin/chain/effects").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("limit", 0).get("/api/admin/chain/effects").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("limit", -1).get("/api/admin/chain/effects").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("limit", 500).get("/api/admin/chain/effects").then().statusCode(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("mints", List.of(Map.of("to", "0x" + "1".repeat(40), "amount", "1", "key", "a\u0000b"))))
                .post("/api/admin/chain/token-mints").then().statusCode(400)
                .body("errors.field", hasItem(org.hamcrest.Matchers.containsString("key")));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("mints", List.of(Map.of("to", "0x" + "1".repeat(40), "amount", "1".repeat(79)))))
                .post("/api/admin/chain/token-mints").then().statusCode(400);
        assertThatThrownBy(() -> new ChainEffect.MintTimeSlot("0x" + "1".repeat(40), BigInteger.ONE, BigInteger.ONE, 1,
                Instant.parse("2026-01-01T00:00:00Z"), Instant.MAX)).isInstanceOf(DomainException.class).hasMessageContaining("9999");
    }

    @Test
    void openApiStatesTheChainEndpointsBoundsAndRequiredFields() {
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("components.schemas.TokenMint.required", org.hamcrest.Matchers.hasItems("to", "amount"))
                .body("components.schemas.TokenMint.properties.amount.maxLength", equalTo(78))
                .body("components.schemas.TokenMints.properties.mints.maxItems", equalTo(1000))
                .body("paths.'/api/admin/chain/effects'.get.parameters.find { it.name == 'limit' }.schema.maximum", equalTo(500))
                .body("paths.'/api/chain/tokens/{kind}/{tokenId}'.get.parameters.find { it.name == 'tokenId' }.schema.maxLength",
                        equalTo(78));
    }

    private void setSignerBalance(String hexWei) throws Exception {
        new Request<>("anvil_setBalance", List.of(client.signer().getAddress(), hexWei),
                new HttpService(chain.info().embeddedRpc().orElseThrow()), ChainClient.AnvilResponse.class).send();
    }

    private BigInteger tokenBalance(Web3j web3j, String holder) throws Exception {
        return BerkeleyToken.load(chain.contractAddress(ContractName.BerkeleyToken).orElseThrow(), web3j,
                Credentials.create(Keys.createEcKeyPair()), new org.web3j.tx.gas.DefaultGasProvider()).balanceOf(holder).send();
    }

    @Test
    void aTransactionTheNodeRefusesIsFailedWithItsReasonHoldsUpNothingAndCanBeAskedAgainUnderANewKey() throws Exception {
        Web3j web3j = rpc();
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        String refused = "refused-" + UUID.randomUUID();
        EffectStatus failed;
        setSignerBalance("0x0"); // the node refuses what the signer cannot pay gas for
        try {
            QuarkusTransaction.requiringNew().run(() -> chain.request(refused, new ChainEffect.MintTokens(to, BigInteger.ONE)));
            failed = awaitDone(refused);
        } finally {
            setSignerBalance("0xd3c21bcecceda1000000");
        }
        assertThat(failed.status()).isEqualTo(EffectStatus.Status.FAILED);
        assertThat(failed.lastError()).containsIgnoringCase("insufficient funds").startsWith("Refused by the node");

        // the refused nonce does not hold up the next effect
        String next = "after-refused-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> chain.request(next, new ChainEffect.MintTokens(to, BigInteger.TWO)));
        assertThat(awaitDone(next).status()).isEqualTo(EffectStatus.Status.CONFIRMED);

        // asked again under a new key: made once; the same key again changes nothing
        assertThat(QuarkusTransaction.requiringNew().call(() -> chain.request(refused, new ChainEffect.MintTokens(to, BigInteger.ONE))).status())
                .isEqualTo(EffectStatus.Status.FAILED);
        QuarkusTransaction.requiringNew().run(() -> chain.retry(refused, refused + "-retry-1"));
        QuarkusTransaction.requiringNew().run(() -> chain.retry(refused, refused + "-retry-1"));
        assertThat(awaitDone(refused + "-retry-1").status()).isEqualTo(EffectStatus.Status.CONFIRMED);
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> chain.retry(next, next + "-retry-1")))
                .isInstanceOf(DomainException.class).hasMessageContaining("not FAILED");
        assertThat(tokenBalance(web3j, to)).as("the refused mint never, its retry once, the next one once").isEqualTo(BigInteger.valueOf(3));
        assertThat(chain.effect(refused).orElseThrow().status()).isEqualTo(EffectStatus.Status.FAILED);
        web3j.shutdown();
    }

    @Test
    void aNonceUsedByAnotherSenderWithTheSameKeyIsNotTakenAsOurConfirmation() throws Exception {
        Web3j web3j = rpc();
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        // another process with the platform's key sends a transaction with the nonce the relay will use next
        List<?> stored = await("the relay's nonce", () -> QuarkusTransaction.requiringNew().call(() -> (List<?>) em.createNativeQuery(
                        "select next_nonce from chain_signer where chain_id = 31337 and address = ?1")
                .setParameter(1, client.signer().getAddress().toLowerCase()).getResultList()), rows -> !rows.isEmpty());
        long nonce = ((Number) stored.get(0)).longValue();
        Fees fees = Fees.current(web3j);
        byte[] foreign = org.web3j.crypto.TransactionEncoder.signMessage(org.web3j.crypto.RawTransaction.createTransaction(31337,
                BigInteger.valueOf(nonce), BigInteger.valueOf(21_000), client.signer().getAddress(), BigInteger.ZERO, "0x",
                fees.maxPriorityFeePerGas(), fees.maxFeePerGas()), 31337, client.signer());
        String foreignHash = web3j.ethSendRawTransaction(org.web3j.utils.Numeric.toHexString(foreign)).send().getTransactionHash();
        assertThat(foreignHash).isNotNull();
        // anvil mines it at once, but on a loaded machine the receipt can take a moment to be served
        await("the foreign one is mined", () -> {
            try {
                return web3j.ethGetTransactionReceipt(foreignHash).send().getTransactionReceipt();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, java.util.Optional::isPresent);

        String key = "foreign-nonce-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> chain.request(key, new ChainEffect.MintTokens(to, BigInteger.TEN)));
        EffectStatus done = awaitDone(key);

        assertThat(done.status()).isEqualTo(EffectStatus.Status.CONFIRMED);
        assertThat(done.txHash()).isNotEqualTo(foreignHash);
        var receipt = web3j.ethGetTransactionReceipt(done.txHash()).send().getTransactionReceipt();
        assertThat(receipt).as("confirmed by a receipt of its own hash").isPresent();
        assertThat(receipt.get().isStatusOK()).isTrue();
        assertThat(tokenBalance(web3j, to)).as("minted once, for real").isEqualTo(BigInteger.TEN);
        web3j.shutdown();
    }
}
