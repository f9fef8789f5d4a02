package chain;

import static chain.TestChain.ACCOUNTS;
import static org.assertj.core.api.Assertions.assertThat;

import chain.contracts.BerkeleyToken;
import chain.contracts.SlotMarket;
import chain.contracts.TimeSlotNFT;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * SlotMarket against a real anvil, from Java: every function and every refusal, the atomic sale,
 * and the part sale's split, prices and rounding (the buyer pays the odd base unit; the pieces'
 * prices always add up to the listing's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlotMarketContractTest {

    private static final Credentials ADMIN = ACCOUNTS.get(0);
    private static final Credentials ALICE = ACCOUNTS.get(1);
    private static final Credentials BOB = ACCOUNTS.get(2);
    private static final Credentials CAROL = ACCOUNTS.get(3);
    private static final long HOUR = 3_600;
    private static final long START = 1_999_998_000L; // a whole hour
    private static final BigInteger OPEN_END = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
    private static final BigInteger PLENTY = BigInteger.TEN.pow(30);
    private static final AtomicLong IDS = new AtomicLong(1);

    private TestChain chain;
    private Map<ContractName, String> at;

    @BeforeAll
    void deploy() throws Exception {
        chain = TestChain.start();
        at = chain.deployAll();
        for (Credentials who : List.of(ALICE, BOB, CAROL)) {
            token(ADMIN).mint(who.getAddress(), PLENTY).send();
            token(who).approve(at.get(ContractName.SlotMarket), PLENTY).send();
            slots(who).setApprovalForAll(at.get(ContractName.SlotMarket), true).send();
        }
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private TimeSlotNFT slots(Credentials as) {
        return TimeSlotNFT.load(at.get(ContractName.TimeSlotNFT), chain.web3j, chain.transactions(as), chain.gas());
    }

    private SlotMarket market(Credentials as) {
        return SlotMarket.load(at.get(ContractName.SlotMarket), chain.web3j, chain.transactions(as), chain.gas());
    }

    private BerkeleyToken token(Credentials as) {
        return BerkeleyToken.load(at.get(ContractName.BerkeleyToken), chain.web3j, chain.transactions(as), chain.gas());
    }

    private static Function fn(String name, Type<?>... arguments) {
        return new Function(name, List.of(arguments), List.of());
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }

    /** A reserved slot of pool 7 over [START + fromHour h, START + untilHour h). */
    private BigInteger reserved(Credentials to, int gpus, long fromHour, long untilHour) throws Exception {
        BigInteger id = big(IDS.getAndIncrement());
        slots(ADMIN).mint(to.getAddress(), id, big(7), big(gpus), big(START + fromHour * HOUR), big(START + untilHour * HOUR),
                big(SlotKind.RESERVED.ordinal())).send();
        return id;
    }

    private BigInteger balance(Credentials who) throws Exception {
        return token(ADMIN).balanceOf(who.getAddress()).send();
    }

    private List<Object> listing(BigInteger id) throws Exception {
        var l = market(ADMIN).listingOf(id).send();
        return List.of(l.component1().toLowerCase(), l.component2());
    }

    private List<Object> listed(Credentials seller, long price) {
        return List.of(seller.getAddress().toLowerCase(), big(price));
    }

    private long[] window(BigInteger id) throws Exception {
        var s = slots(ADMIN).slotOf(id).send();
        return new long[] {s.component2().longValueExact(), s.component3().longValueExact() - START, s.component4().longValueExact() - START};
    }

    @Test
    void aListedSlotIsBoughtWholeInOneTransaction() throws Exception {
        BigInteger id = reserved(ALICE, 2, 0, 24);
        TransactionReceipt listedReceipt = market(ALICE).list(id, big(1_000)).send();
        var listedEvent = SlotMarket.getListedEvents(listedReceipt).get(0);
        assertThat(listedEvent.tokenId).isEqualTo(id);
        assertThat(listedEvent.seller).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(listedEvent.price).isEqualTo(big(1_000));
        assertThat(listing(id)).isEqualTo(listed(ALICE, 1_000));
        assertThat(slots(ADMIN).ownerOf(id).send()).as("the slot stays with its seller while listed").isEqualToIgnoringCase(ALICE.getAddress());

        BigInteger alice = balance(ALICE);
        BigInteger bob = balance(BOB);
        TransactionReceipt receipt = market(BOB).buy(id, big(1_000)).send();

        var sold = SlotMarket.getSoldEvents(receipt).get(0);
        assertThat(List.of(sold.listedId, sold.pieceId, sold.price)).containsExactly(id, id, big(1_000));
        assertThat(sold.buyer).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(sold.seller).isEqualToIgnoringCase(ALICE.getAddress());
        assertThat(slots(ADMIN).ownerOf(id).send()).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(balance(ALICE)).isEqualTo(alice.add(big(1_000)));
        assertThat(balance(BOB)).isEqualTo(bob.subtract(big(1_000)));
        assertThat(listing(id)).isEqualTo(List.of(Addresses.ZERO, BigInteger.ZERO));
        chain.assertReverts(CAROL, at.get(ContractName.SlotMarket), fn("buy", new Uint256(id), new Uint256(1_000)), "NotListed(uint256)");
    }

    @Test
    void aPayAsYouGoSlotIsSoldWholeButNotInParts() throws Exception {
        BigInteger id = big(IDS.getAndIncrement());
        slots(ADMIN).mint(ALICE.getAddress(), id, big(7), big(2), big(START), OPEN_END, big(SlotKind.SPOT.ordinal())).send();
        market(ALICE).list(id, big(50)).send();
        chain.assertReverts(BOB, at.get(ContractName.SlotMarket),
                fn("buyPart", new Uint256(id), new Uint64(START), new Uint64(START + HOUR), new Uint32(1), new Uint256(50)), "NotReserved(uint256)");
        market(BOB).buy(id, big(50)).send();
        assertThat(slots(ADMIN).ownerOf(id).send()).isEqualToIgnoringCase(BOB.getAddress());
    }

    @Test
    void listingIsRefusedToStrangersWithoutApprovalAndForNothing() throws Exception {
        String contract = at.get(ContractName.SlotMarket);
        BigInteger id = reserved(ALICE, 1, 0, 1);
        chain.assertReverts(BOB, contract, fn("list", new Uint256(id), new Uint256(10)), "NotHolder(uint256)");
        chain.assertReverts(ALICE, contract, fn("list", new Uint256(id), new Uint256(0)), "ZeroPrice()");
        chain.assertReverts(ALICE, contract, fn("list", new Uint256(big(IDS.getAndIncrement())), new Uint256(10)),
                "ERC721NonexistentToken(uint256)");
        slots(ALICE).setApprovalForAll(contract, false).send();
        try {
            chain.assertReverts(ALICE, contract, fn("list", new Uint256(id), new Uint256(10)), "NotApproved()");
        } finally {
            slots(ALICE).setApprovalForAll(contract, true).send();
        }
    }

    @Test
    void theSellerOrTheNewHolderCancelsAndNobodyElse() throws Exception {
        String contract = at.get(ContractName.SlotMarket);
        BigInteger id = reserved(ALICE, 1, 0, 2);
        chain.assertReverts(ALICE, contract, fn("cancel", new Uint256(id)), "NotListed(uint256)");
        market(ALICE).list(id, big(10)).send();
        chain.assertReverts(BOB, contract, fn("cancel", new Uint256(id)), "NotSeller(uint256)");
        var cancelled = SlotMarket.getListingCancelledEvents(market(ALICE).cancel(id).send()).get(0);
        assertThat(cancelled.tokenId).isEqualTo(id);
        assertThat(cancelled.seller).isEqualToIgnoringCase(ALICE.getAddress());
        chain.assertReverts(BOB, contract, fn("buy", new Uint256(id), new Uint256(10)), "NotListed(uint256)");

        // a stale listing (the slot moved elsewhere) is cancelled by whoever holds the slot now
        market(ALICE).list(id, big(10)).send();
        slots(ALICE).transferFrom(ALICE.getAddress(), CAROL.getAddress(), id).send();
        chain.assertReverts(BOB, contract, fn("buy", new Uint256(id), new Uint256(10)), "StaleListing(uint256)");
        chain.assertReverts(BOB, contract, fn("cancel", new Uint256(id)), "NotSeller(uint256)");
        market(CAROL).cancel(id).send();
        assertThat(listing(id)).isEqualTo(List.of(Addresses.ZERO, BigInteger.ZERO));
    }

    @Test
    void buyingIsRefusedAboveTheBuyersLimitForStaleOrOwnListingsAndWithoutTokens() throws Exception {
        String contract = at.get(ContractName.SlotMarket);
        BigInteger id = reserved(ALICE, 1, 0, 2);
        market(ALICE).list(id, big(100)).send();
        chain.assertReverts(BOB, contract, fn("buy", new Uint256(id), new Uint256(99)), "PriceAbove(uint256,uint256)");
        chain.assertReverts(ALICE, contract, fn("buy", new Uint256(id), new Uint256(100)), "OwnListing(uint256)");
        market(ALICE).list(id, big(150)).send(); // listing again replaces the price
        assertThat(listing(id)).isEqualTo(listed(ALICE, 150));
        chain.assertReverts(BOB, contract, fn("buy", new Uint256(id), new Uint256(100)), "PriceAbove(uint256,uint256)");

        Credentials poor = ACCOUNTS.get(4); // has ether for gas but no tokens
        token(poor).approve(contract, PLENTY).send();
        chain.assertReverts(poor, contract, fn("buy", new Uint256(id), new Uint256(150)), "ERC20InsufficientBalance(address,uint256,uint256)");
        token(poor).approve(contract, BigInteger.ZERO).send();
        token(ADMIN).mint(poor.getAddress(), big(1_000)).send();
        chain.assertReverts(poor, contract, fn("buy", new Uint256(id), new Uint256(150)), "ERC20InsufficientAllowance(address,uint256,uint256)");

        // the seller took back the market's approval: the slot cannot move, nothing is paid
        slots(ALICE).setApprovalForAll(contract, false).send();
        try {
            chain.assertReverts(BOB, contract, fn("buy", new Uint256(id), new Uint256(150)), "ERC721InsufficientApproval(address,uint256)");
        } finally {
            slots(ALICE).setApprovalForAll(contract, true).send();
        }

        // burned by a split outside the market: stale
        slots(ALICE).splitAt(id, big(START + HOUR)).send();
        chain.assertReverts(BOB, contract, fn("buy", new Uint256(id), new Uint256(150)), "StaleListing(uint256)");
    }

    @Test
    void aPartIsSplitOffAndSoldAtTheListingsRateAndTheRestStaysListed() throws Exception {
        // 4 GPUs × 10 h = 40 GPU-hours for 1,000,003 base units; Bob takes 1 GPU over hours 2 to 5 (3 GPU-hours)
        BigInteger id = reserved(ALICE, 4, 0, 10);
        market(ALICE).list(id, big(1_000_003)).send();
        BigInteger next = slots(ADMIN).nextDerivedId().send();
        BigInteger alice = balance(ALICE);
        BigInteger bob = balance(BOB);

        TransactionReceipt receipt = market(BOB).buyPart(id, big(START + 2 * HOUR), big(START + 5 * HOUR), big(1), big(75_001)).send();

        // cut: [0,2) | [2,5) | [5,10) over 4 GPUs, then 1 GPU off [2,5)
        BigInteger before = next;
        BigInteger after = next.add(big(3));
        BigInteger piece = next.add(big(4));
        BigInteger others = next.add(big(5));
        assertThat(window(before)).containsExactly(4, 0, 2 * HOUR);
        assertThat(window(after)).containsExactly(4, 5 * HOUR, 10 * HOUR);
        assertThat(window(piece)).containsExactly(1, 2 * HOUR, 5 * HOUR);
        assertThat(window(others)).containsExactly(3, 2 * HOUR, 5 * HOUR);
        assertThat(slots(ADMIN).ownerOf(piece).send()).isEqualToIgnoringCase(BOB.getAddress());
        for (BigInteger rest : List.of(before, after, others)) {
            assertThat(slots(ADMIN).ownerOf(rest).send()).isEqualToIgnoringCase(ALICE.getAddress());
        }

        // ceil(1,000,003 × 3 / 40) = ceil(75,000.225) = 75,001: the buyer pays the odd unit
        var sold = SlotMarket.getSoldEvents(receipt).get(0);
        assertThat(List.of(sold.listedId, sold.pieceId, sold.price)).containsExactly(id, piece, big(75_001));
        assertThat(balance(ALICE)).isEqualTo(alice.add(big(75_001)));
        assertThat(balance(BOB)).isEqualTo(bob.subtract(big(75_001)));

        // the rest, 925,002 over 37 GPU-hours: floor(× 8/37) = 200,000, floor(× 20/37) = 500,001, the last 225,001
        assertThat(listing(id)).isEqualTo(List.of(Addresses.ZERO, BigInteger.ZERO));
        assertThat(listing(before)).isEqualTo(listed(ALICE, 200_000));
        assertThat(listing(after)).isEqualTo(listed(ALICE, 500_001));
        assertThat(listing(others)).isEqualTo(listed(ALICE, 225_001));
        assertThat(75_001 + 200_000 + 500_001 + 225_001).as("the pieces' prices add up to the listing's").isEqualTo(1_000_003);
        assertThat(SlotMarket.getListedEvents(receipt)).extracting(e -> e.tokenId).containsExactly(before, after, others);

        // a remaining piece is bought like any listing
        market(CAROL).buy(after, big(500_001)).send();
        assertThat(slots(ADMIN).ownerOf(after).send()).isEqualToIgnoringCase(CAROL.getAddress());
    }

    @Test
    void aPartOfFewerGpusOverTheWholeWindowOrOfTheWholeSlot() throws Exception {
        // 3 GPUs for 10 units: one GPU costs ceil(10/3) = 4, the other two stay listed at 6
        BigInteger id = reserved(ALICE, 3, 0, 1);
        market(ALICE).list(id, big(10)).send();
        BigInteger next = slots(ADMIN).nextDerivedId().send();
        var sold = SlotMarket.getSoldEvents(market(BOB).buyPart(id, big(START), big(START + HOUR), big(1), big(4)).send()).get(0);
        assertThat(sold.price).isEqualTo(big(4));
        assertThat(sold.pieceId).isEqualTo(next);
        assertThat(listing(next.add(BigInteger.ONE))).isEqualTo(listed(ALICE, 6));

        // the whole slot through buyPart: no split, the listed price, nothing left listed
        BigInteger whole = reserved(ALICE, 2, 0, 3);
        market(ALICE).list(whole, big(77)).send();
        var all = SlotMarket.getSoldEvents(market(BOB).buyPart(whole, big(START), big(START + 3 * HOUR), big(2), big(77)).send()).get(0);
        assertThat(List.of(all.pieceId, all.price)).containsExactly(whole, big(77));
        assertThat(slots(ADMIN).ownerOf(whole).send()).isEqualToIgnoringCase(BOB.getAddress());
        assertThat(slots(ADMIN).nextDerivedId().send()).isEqualTo(next.add(big(2)));
    }

    @Test
    void partsOutsideTheSlotOffTheHourOfNoGpusOrAboveTheLimitAreRefused() throws Exception {
        String contract = at.get(ContractName.SlotMarket);
        BigInteger id = reserved(ALICE, 2, 0, 4);
        chain.assertReverts(BOB, contract, part(id, 0, HOUR, 1, 1_000), "NotListed(uint256)");
        market(ALICE).list(id, big(800)).send();
        chain.assertReverts(BOB, contract, part(id, -HOUR, HOUR, 1, 1_000), "PartOutsideSlot(uint64,uint64)");
        chain.assertReverts(BOB, contract, part(id, 3 * HOUR, 5 * HOUR, 1, 1_000), "PartOutsideSlot(uint64,uint64)");
        chain.assertReverts(BOB, contract, part(id, 2 * HOUR, 2 * HOUR, 1, 1_000), "PartOutsideSlot(uint64,uint64)");
        chain.assertReverts(BOB, contract, part(id, HOUR / 2, 2 * HOUR, 1, 1_000), "NotWholeHour(uint64)");
        chain.assertReverts(BOB, contract, part(id, HOUR, 2 * HOUR, 0, 1_000), "InvalidGpuCount(uint32)");
        chain.assertReverts(BOB, contract, part(id, HOUR, 2 * HOUR, 3, 1_000), "InvalidGpuCount(uint32)");
        chain.assertReverts(BOB, contract, part(id, HOUR, 2 * HOUR, 1, 99), "PriceAbove(uint256,uint256)"); // costs 100
        chain.assertReverts(ALICE, contract, part(id, HOUR, 2 * HOUR, 1, 100), "OwnListing(uint256)");
        slots(ALICE).transferFrom(ALICE.getAddress(), CAROL.getAddress(), id).send();
        chain.assertReverts(BOB, contract, part(id, HOUR, 2 * HOUR, 1, 100), "StaleListing(uint256)");
    }

    private static Function part(BigInteger id, long from, long until, int gpus, long maxPrice) {
        return fn("buyPart", new Uint256(id), new Uint64(START + from), new Uint64(START + until), new Uint32(gpus), new Uint256(maxPrice));
    }
}
