package chain;

import static org.assertj.core.api.Assertions.assertThat;

import chain.contracts.BerkeleyToken;
import chain.contracts.SlotMarket;
import chain.contracts.TimeSlotNFT;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Event sync's mirror of the time slots' splits, merges and closes and of SlotMarket's listings and
 * sales, through real transactions on the app's embedded anvil (wallets sign their own; the
 * platform mints and closes through the outbox): the facade's reads, the CDI events (each once,
 * inside the sync's transaction), and a re-read of the same blocks that changes and fires nothing.
 */
@QuarkusTest
class SlotMirrorTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z"); // a whole hour
    private static final long HOUR = 3_600;

    @Inject
    Chain chain;

    @Inject
    SlotEventLog events;

    @Inject
    EntityManager em;

    private Web3j web3j;
    private final List<String> txs = new ArrayList<>();

    private static BigInteger random() {
        return new BigInteger(62, new SecureRandom()).add(BigInteger.ONE);
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }

    private static BigInteger at(long hours) {
        return big(START.getEpochSecond() + hours * HOUR);
    }

    private static <T> T await(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
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

    /** A new wallet with 100 ether for gas (anvil cheat code). */
    private Credentials wallet() throws Exception {
        Credentials wallet = Credentials.create(Keys.createEcKeyPair());
        new Request<>("anvil_setBalance", List.of(wallet.getAddress(), "0x56bc75e2d63100000"),
                new HttpService(chain.info().embeddedRpc().orElseThrow()), ChainClient.AnvilResponse.class).send();
        return wallet;
    }

    private RawTransactionManager transactions(Credentials as) {
        return new RawTransactionManager(web3j, as, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 600));
    }

    private static StaticEIP1559GasProvider gas() {
        return new StaticEIP1559GasProvider(31337, BigInteger.valueOf(20_000_000_000L), BigInteger.ONE, BigInteger.valueOf(3_000_000));
    }

    private TimeSlotNFT slots(Credentials as) {
        return TimeSlotNFT.load(chain.contractAddress(ContractName.TimeSlotNFT).orElseThrow(), web3j, transactions(as), gas());
    }

    private SlotMarket market(Credentials as) {
        return SlotMarket.load(chain.contractAddress(ContractName.SlotMarket).orElseThrow(), web3j, transactions(as), gas());
    }

    /** Sends a wallet's transaction and keeps its hash (the logs this test made). */
    private TransactionReceipt sent(TransactionReceipt receipt) {
        assertThat(receipt.isStatusOK()).as("transaction %s", receipt.getTransactionHash()).isTrue();
        txs.add(receipt.getTransactionHash().toLowerCase(Locale.ROOT));
        return receipt;
    }

    /** Asks the platform for an effect and waits for it on chain; its transaction's hash. */
    private String effect(String key, ChainEffect effect) throws Exception {
        QuarkusTransaction.requiringNew().run(() -> chain.request(key, effect));
        EffectStatus done = await("effect " + key, () -> chain.effect(key).orElseThrow(), EffectStatus::done);
        assertThat(done.status()).as("effect %s: %s", key, done.lastError()).isEqualTo(EffectStatus.Status.CONFIRMED);
        txs.add(done.txHash().toLowerCase(Locale.ROOT));
        return done.txHash();
    }

    private long blockOf(String txHash) throws Exception {
        return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt().orElseThrow().getBlockNumber().longValueExact();
    }

    private static <E> E only(List<E> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    private TimeSlot slot(BigInteger id) {
        return chain.timeSlot(id).orElseThrow();
    }

    @Test
    void splitsMergesClosesListingsAndSalesAreMirroredAndFiredOnceAlsoWhenTheBlocksAreReadAgain() throws Exception {
        await("the contracts deployed", () -> chain.info().contracts().size(), n -> n == ContractName.values().length);
        web3j = Web3j.build(new HttpService(chain.info().embeddedRpc().orElseThrow()));
        Credentials alice = wallet();
        Credentials bob = wallet();
        Credentials carol = wallet();
        String aliceAddress = alice.getAddress().toLowerCase(Locale.ROOT);
        String bobAddress = bob.getAddress().toLowerCase(Locale.ROOT);
        String marketAddress = chain.contractAddress(ContractName.SlotMarket).orElseThrow();
        BigInteger pool = random();
        BigInteger reserved = random();
        BigInteger onDemand = random();

        // the platform mints a reservation (4 GPUs for 24 h) and an on-demand rental to Alice, and tokens to Bob
        String firstTx = effect("mirror-mint-" + reserved, new ChainEffect.MintTimeSlot(alice.getAddress(), reserved, pool, 4, START,
                START.plusSeconds(24 * HOUR)));
        effect("mirror-mint-" + onDemand, new ChainEffect.MintTimeSlot(alice.getAddress(), onDemand, pool, 1, START, null,
                SlotKind.ON_DEMAND));
        effect("mirror-tokens-" + reserved, new ChainEffect.MintTokens(bob.getAddress(), BigInteger.TEN.pow(21)));
        sent(BerkeleyToken.load(chain.contractAddress(ContractName.BerkeleyToken).orElseThrow(), web3j, transactions(bob), gas())
                .approve(marketAddress, BigInteger.TEN.pow(21)).send());

        // Alice lends the slot to Carol until its end, splits it by time (at 8 h), splits the first 8 h
        // by count (1 + 3 GPUs) and merges those back
        sent(slots(alice).setUser(reserved, carol.getAddress(), at(24)).send());
        var byTime = TimeSlotNFT.getSlotSplitEvents(sent(slots(alice).splitAt(reserved, at(8)).send())).get(0);
        BigInteger early = byTime.first;
        BigInteger late = byTime.second;
        var byCount = TimeSlotNFT.getSlotSplitEvents(sent(slots(alice).splitByCount(early, big(1)).send())).get(0);
        BigInteger merged = TimeSlotNFT.getSlotsMergedEvents(sent(slots(alice).merge(byCount.first, byCount.second).send())).get(0).merged;

        // she lists the merged slot, cancels, lists it twice more (the second replaces the first); Bob buys it whole
        sent(slots(alice).setApprovalForAll(marketAddress, true).send());
        sent(market(alice).list(merged, big(800)).send());
        sent(market(alice).cancel(merged).send());
        sent(market(alice).list(merged, big(1_000)).send());
        sent(market(alice).list(merged, big(1_200)).send());
        String boughtWhole = sent(market(bob).buy(merged, big(1_200)).send()).getTransactionHash().toLowerCase(Locale.ROOT);

        // she lists the last 16 h (64 GPU-hours for 1,600); Bob buys 2 GPUs over [10 h, 14 h): 8 GPU-hours for 200
        sent(market(alice).list(late, big(1_600)).send());
        TransactionReceipt part = sent(market(bob).buyPart(late, at(10), at(14), big(2), big(200)).send());
        var partSplits = TimeSlotNFT.getSlotSplitEvents(part);
        assertThat(partSplits).hasSize(3);
        BigInteger piece = SlotMarket.getSoldEvents(part).get(0).pieceId;
        List<BigInteger> rest = SlotMarket.getListedEvents(part).stream().map(l -> l.tokenId).toList();
        assertThat(rest).hasSize(3); // [8 h, 10 h) x 4 for 200, [14 h, 24 h) x 4 for 1,000, [10 h, 14 h) x 2 for 200
        BigInteger beforePart = rest.get(0);
        BigInteger afterPart = rest.get(1);
        BigInteger besidePart = rest.get(2);

        // the on-demand rental is listed, then the platform closes it at 1.5 h; a relisted piece moves to Carol (stale)
        sent(market(alice).list(onDemand, big(500)).send());
        String closeTx = effect("mirror-close-" + onDemand, new ChainEffect.CloseSlot(onDemand, START.plusSeconds(90 * 60)));
        sent(slots(alice).transferFrom(alice.getAddress(), carol.getAddress(), beforePart).send());
        await("the last transfer in the mirror", () -> chain.timeSlot(beforePart).map(TimeSlot::holder),
                h -> h.equals(Optional.of(carol.getAddress().toLowerCase(Locale.ROOT))));

        // the facade: lineage, terms, holders
        TimeSlot original = slot(reserved);
        assertThat(original.burned()).isTrue();
        assertThat(original.parents()).isEmpty();
        assertThat(original.children()).containsExactlyInAnyOrder(early, late);
        assertThat(original.terms()).isEqualTo(new Token.Slot(pool, 4, new ChainTime(at(0)), new ChainTime(at(24)), SlotKind.RESERVED));
        assertThat(slot(early).parents()).containsExactly(reserved);
        assertThat(slot(early).children()).containsExactlyInAnyOrder(byCount.first, byCount.second);
        assertThat(slot(byCount.first).terms().gpuCount()).isEqualTo(1);
        assertThat(slot(byCount.second).terms().gpuCount()).isEqualTo(3);
        TimeSlot whole = slot(merged);
        assertThat(whole.parents()).containsExactlyInAnyOrder(byCount.first, byCount.second);
        assertThat(whole.children()).isEmpty();
        assertThat(whole.holder()).isEqualTo(bobAddress);
        assertThat(whole.burned()).isFalse();
        assertThat(whole.terms()).isEqualTo(new Token.Slot(pool, 4, new ChainTime(at(0)), new ChainTime(at(8)), SlotKind.RESERVED));
        TimeSlot bought = slot(piece);
        assertThat(bought.holder()).isEqualTo(bobAddress);
        assertThat(bought.terms()).isEqualTo(new Token.Slot(pool, 2, new ChainTime(at(10)), new ChainTime(at(14)), SlotKind.RESERVED));
        assertThat(slot(late).children()).hasSize(2); // split at 10 h; the rest of its lineage goes on from the later piece
        // the user: kept by splits and the merge (same user on both), cleared by a sale, over at its expiry
        String carolAddress = carol.getAddress().toLowerCase(Locale.ROOT);
        assertThat(slot(afterPart).user()).isEqualTo(carolAddress);
        assertThat(slot(afterPart).userExpires()).isEqualTo(new ChainTime(at(24)));
        assertThat(slot(afterPart).userAt(START)).contains(carolAddress);
        assertThat(slot(afterPart).userAt(START.plusSeconds(24 * HOUR))).contains(carolAddress);
        assertThat(slot(afterPart).userAt(START.plusSeconds(24 * HOUR + 1))).isEmpty();
        assertThat(whole.user()).as("a sale clears the user").isNull();
        assertThat(whole.userAt(START)).isEmpty();
        assertThat(bought.user()).isNull();
        TimeSlot rental = slot(onDemand);
        assertThat(rental.terms().kind()).isEqualTo(SlotKind.ON_DEMAND);
        assertThat(rental.terms().end()).isEqualTo(ChainTime.of(START.plusSeconds(90 * 60)));
        assertThat(rental.terms().open()).isFalse();
        assertThat(chain.timeSlotsOf(alice.getAddress())).extracting(TimeSlot::tokenId)
                .containsExactlyInAnyOrder(onDemand, afterPart, besidePart);
        assertThat(chain.timeSlotsOf(bob.getAddress())).extracting(TimeSlot::tokenId).containsExactlyInAnyOrder(merged, piece);

        // listings: sold and cancelled ones are gone, the moved piece's is stale, the rest can be bought
        assertThat(chain.listing(merged)).isEmpty();
        assertThat(chain.listing(late)).isEmpty();
        SlotListing stale = chain.listing(beforePart).orElseThrow();
        assertThat(stale.stale()).isTrue();
        assertThat(stale.price()).isEqualTo(big(200));
        SlotListing after = chain.listing(afterPart).orElseThrow();
        assertThat(after.stale()).isFalse();
        assertThat(after.seller()).isEqualTo(aliceAddress);
        assertThat(after.price()).isEqualTo(big(1_000));
        assertThat(after.terms()).isEqualTo(new Token.Slot(pool, 4, new ChainTime(at(14)), new ChainTime(at(24)), SlotKind.RESERVED));
        assertThat(after.txHash()).isEqualTo(part.getTransactionHash().toLowerCase(Locale.ROOT));
        assertThat(chain.activeListings(Optional.of(pool), 100)).extracting(SlotListing::tokenId)
                .containsExactly(onDemand, besidePart, afterPart); // newest first
        assertThat(chain.activeListings(Optional.empty(), Chain.MAX_ROWS)).extracting(SlotListing::tokenId)
                .contains(onDemand, besidePart, afterPart).doesNotContain(beforePart, merged, late);
        assertThat(chain.listing(onDemand).orElseThrow().terms().end()).isEqualTo(ChainTime.of(START.plusSeconds(90 * 60)));

        // sales (a price history), newest first
        List<SlotSale> sales = chain.slotSales(Optional.of(pool), 10);
        assertThat(sales).extracting(SlotSale::pieceId).containsExactly(piece, merged);
        SlotSale partSale = sales.get(0);
        assertThat(List.of(partSale.listedTokenId(), partSale.price(), partSale.seller(), partSale.buyer()))
                .containsExactly(late, big(200), aliceAddress, bobAddress);
        assertThat(partSale.pieceTerms()).isEqualTo(bought.terms());
        assertThat(sales.get(1).txHash()).isEqualTo(boughtWhole);
        assertThat(sales.get(1).price()).isEqualTo(big(1_200));
        assertThat(sales.get(1).pieceTerms()).isEqualTo(whole.terms());
        assertThat(chain.slotSales(Optional.empty(), 1)).hasSize(1);

        // the CDI events: each log once, in the chain's order, inside the sync's transaction
        List<SlotEventLog.Delivery> delivered = events.of(txs);
        assertThat(delivered).allMatch(SlotEventLog.Delivery::inTransaction);
        List<Record> fired = delivered.stream().map(SlotEventLog.Delivery::event).toList();
        assertThat(fired).hasSize(18);
        assertThat(fired.stream().map(e -> e.getClass().getSimpleName()).toList()).containsExactly(
                "SlotSplit", "SlotSplit", "SlotsMerged",
                "SlotListed", "SlotListingCancelled", "SlotListed", "SlotListed", "SlotSold",
                "SlotListed", "SlotSplit", "SlotSplit", "SlotSplit", "SlotSold", "SlotListed", "SlotListed", "SlotListed",
                "SlotListed", "SlotClosed");
        SlotSplit first = (SlotSplit) fired.get(0);
        assertThat(List.of(first.parent(), first.first(), first.second())).containsExactly(reserved, early, late);
        assertThat(first.holder()).isEqualTo(aliceAddress);
        assertThat(first.firstTerms()).isEqualTo(new Token.Slot(pool, 4, new ChainTime(at(0)), new ChainTime(at(8)), SlotKind.RESERVED));
        assertThat(first.secondTerms()).isEqualTo(new Token.Slot(pool, 4, new ChainTime(at(8)), new ChainTime(at(24)), SlotKind.RESERVED));
        SlotsMerged join = (SlotsMerged) fired.get(2);
        assertThat(List.of(join.first(), join.second(), join.merged())).containsExactly(byCount.first, byCount.second, merged);
        assertThat(join.mergedTerms()).isEqualTo(whole.terms());
        SlotListingCancelled cancelled = (SlotListingCancelled) fired.get(4);
        assertThat(List.of(cancelled.tokenId(), cancelled.seller())).containsExactly(merged, aliceAddress);
        SlotSold sold = (SlotSold) fired.get(12);
        assertThat(List.of(sold.listedTokenId(), sold.pieceId(), sold.seller(), sold.buyer(), sold.price()))
                .containsExactly(late, piece, aliceAddress, bobAddress, big(200));
        assertThat(sold.pieceTerms()).isEqualTo(bought.terms());
        assertThat(fired.subList(13, 16)).extracting(e -> ((SlotListed) e).price()).containsExactly(big(200), big(1_000), big(200));
        SlotClosed closed = (SlotClosed) fired.get(17);
        assertThat(List.of(closed.tokenId(), closed.holder(), closed.txHash())).containsExactly(onDemand, aliceAddress,
                closeTx.toLowerCase(Locale.ROOT));
        assertThat(closed.closedAt()).isEqualTo(ChainTime.of(START.plusSeconds(90 * 60)));

        // the sync's cursor is set back before the first mint: the same blocks are read again (the
        // first mint's transfer, taken out of the history, comes back), and nothing changes or fires twice
        List<Object> facade = List.of(chain.timeSlot(reserved), chain.timeSlot(merged), chain.timeSlot(piece), chain.timeSlot(onDemand),
                chain.timeSlot(late), chain.listing(beforePart), chain.listing(afterPart), chain.activeListings(Optional.of(pool), 100),
                chain.slotSales(Optional.of(pool), 10));
        long logRows = slotLogRows();
        assertThat(logRows).isEqualTo(18);
        long firstBlock = blockOf(firstTx);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!mintTransferRecorded(reserved)) {
            QuarkusTransaction.requiringNew().run(() -> {
                em.createNativeQuery("delete from chain_transfer where kind = 'TIME_SLOT' and token_id = ?1 and from_address = ?2")
                        .setParameter(1, reserved).setParameter(2, Addresses.ZERO).executeUpdate();
                em.createNativeQuery("update chain_sync set last_block = ?1 where chain_id = 31337")
                        .setParameter(1, firstBlock - 1).executeUpdate();
            });
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (!mintTransferRecorded(reserved) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(System.nanoTime()).as("the blocks read again").isLessThan(deadline);
        }
        assertThat(events.of(txs)).hasSize(18);
        assertThat(slotLogRows()).isEqualTo(logRows);
        assertThat(List.of(chain.timeSlot(reserved), chain.timeSlot(merged), chain.timeSlot(piece), chain.timeSlot(onDemand),
                chain.timeSlot(late), chain.listing(beforePart), chain.listing(afterPart), chain.activeListings(Optional.of(pool), 100),
                chain.slotSales(Optional.of(pool), 10))).isEqualTo(facade);
        assertThat(slot(onDemand).terms().open()).as("a closed slot stays closed when its mint is read again").isFalse();
        web3j.shutdown();
    }

    private boolean mintTransferRecorded(BigInteger tokenId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from chain_transfer where kind = 'TIME_SLOT' and token_id = ?1 and from_address = ?2")
                .setParameter(1, tokenId).setParameter(2, Addresses.ZERO).getSingleResult()).longValue() == 1);
    }

    private long slotLogRows() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from chain_slot_log where tx_hash = any(cast(?1 as varchar[]))")
                .setParameter(1, txs.stream().collect(java.util.stream.Collectors.joining(",", "{", "}"))).getSingleResult()).longValue());
    }
}
