package chain;

import static chain.TestChain.ACCOUNTS;
import static org.assertj.core.api.Assertions.assertThat;

import chain.contracts.BerkeleyToken;
import chain.contracts.CreditsBurner;
import chain.contracts.EpochRewards;
import chain.contracts.GpuNFT;
import chain.contracts.OperatorNFT;
import chain.contracts.TimeSlotNFT;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Every contract function and every refusal, against a real anvil, from Java. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractsTest {

    private static final Credentials ADMIN = ACCOUNTS.get(0);
    private static final Credentials ALICE = ACCOUNTS.get(1);
    private static final Credentials BOB = ACCOUNTS.get(2);
    private static final Credentials CAROL = ACCOUNTS.get(3);
    private static final String CERTIFICATE = "0x" + "ab".repeat(32);
    private static final AtomicLong IDS = new AtomicLong(1);

    private TestChain chain;
    private Map<ContractName, String> at;

    @BeforeAll
    void deploy() throws Exception {
        chain = TestChain.start();
        at = chain.deployAll();
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    private static BigInteger newId() {
        return BigInteger.valueOf(IDS.getAndIncrement());
    }

    private static Function fn(String name, Type<?>... arguments) {
        return new Function(name, List.of(arguments), List.of());
    }

    private static String accessDenied() {
        return "AccessControlUnauthorizedAccount(address,bytes32)";
    }

    private OperatorNFT operatorNft(Credentials as) {
        return OperatorNFT.load(at.get(ContractName.OperatorNFT), chain.web3j, chain.transactions(as), chain.gas());
    }

    private GpuNFT gpuNft(Credentials as) {
        return GpuNFT.load(at.get(ContractName.GpuNFT), chain.web3j, chain.transactions(as), chain.gas());
    }

    private TimeSlotNFT slots(Credentials as) {
        return TimeSlotNFT.load(at.get(ContractName.TimeSlotNFT), chain.web3j, chain.transactions(as), chain.gas());
    }

    private BerkeleyToken token(Credentials as) {
        return BerkeleyToken.load(at.get(ContractName.BerkeleyToken), chain.web3j, chain.transactions(as), chain.gas());
    }

    private CreditsBurner burner(Credentials as) {
        return CreditsBurner.load(at.get(ContractName.CreditsBurner), chain.web3j, chain.transactions(as), chain.gas());
    }

    private EpochRewards rewards(Credentials as) {
        return EpochRewards.load(at.get(ContractName.EpochRewards), chain.web3j, chain.transactions(as), chain.gas());
    }

    @Nested
    class OperatorNfts {

        @Test
        void theMinterMintsWithChosenIdsAndTheHolderCanTransfer() throws Exception {
            BigInteger id = newId();
            operatorNft(ADMIN).mint(ALICE.getAddress(), id).send();
            assertThat(operatorNft(ADMIN).ownerOf(id).send()).isEqualToIgnoringCase(ALICE.getAddress());
            assertThat(operatorNft(ADMIN).exists(id).send()).isTrue();
            assertThat(operatorNft(ADMIN).tokenURI(id).send()).isEqualTo("http://localhost:8080/api/chain/metadata/operator/" + id);

            operatorNft(ALICE).transferFrom(ALICE.getAddress(), BOB.getAddress(), id).send();
            assertThat(operatorNft(ADMIN).ownerOf(id).send()).isEqualToIgnoringCase(BOB.getAddress());
        }

        @Test
        void nobodyElseMintsAndNoIdIsMintedTwice() throws Exception {
            BigInteger id = newId();
            chain.assertReverts(ALICE, at.get(ContractName.OperatorNFT), fn("mint", new Address(ALICE.getAddress()), new Uint256(id)), accessDenied());
            operatorNft(ADMIN).mint(ALICE.getAddress(), id).send();
            chain.assertReverts(ADMIN, at.get(ContractName.OperatorNFT), fn("mint", new Address(BOB.getAddress()), new Uint256(id)),
                    "ERC721InvalidSender(address)");
        }

        @Test
        void onlyTheAdminChangesTheMetadataAddress() throws Exception {
            chain.assertReverts(ALICE, at.get(ContractName.OperatorNFT), fn("setBaseURI", new Utf8String("https://evil/")), accessDenied());
            operatorNft(ADMIN).setBaseURI("https://market.example/api/chain/metadata/operator/").send();
            BigInteger id = newId();
            operatorNft(ADMIN).mint(ALICE.getAddress(), id).send();
            assertThat(operatorNft(ADMIN).tokenURI(id).send()).isEqualTo("https://market.example/api/chain/metadata/operator/" + id);
            operatorNft(ADMIN).setBaseURI("http://localhost:8080/api/chain/metadata/operator/").send();
        }

        @Test
        void itIsAnErc721() throws Exception {
            assertThat(operatorNft(ADMIN).supportsInterface(Numeric.hexStringToByteArray("0x80ac58cd")).send()).isTrue();
            assertThat(operatorNft(ADMIN).name().send()).isEqualTo("Berkeley Compute Operator");
        }
    }

    @Nested
    class GpuNfts {

        private Function mint(String to, BigInteger id, String certificate) {
            return fn("mint", new Address(to), new Uint256(id), new Utf8String("H100 SXM"), new Utf8String("SN-1"),
                    new Uint64(1_700_000_000L), new Uint64(1_700_100_000L), new Utf8String("https://dc/agreement"),
                    new Utf8String("https://dc/ownership"), new Bytes32(Numeric.hexStringToByteArray(certificate)));
        }

        @Test
        void aMintedGpuCarriesItsMetadata() throws Exception {
            BigInteger id = newId();
            gpuNft(ADMIN).mint(ALICE.getAddress(), id, "H100 SXM", "SN-42", BigInteger.valueOf(1_700_000_000L),
                    BigInteger.valueOf(1_700_100_000L), "https://dc/agreement", "https://dc/ownership",
                    Numeric.hexStringToByteArray(CERTIFICATE)).send();
            var metadata = gpuNft(ADMIN).metadata(id).send();
            assertThat(metadata.component1()).isEqualTo("H100 SXM");
            assertThat(metadata.component2()).isEqualTo("SN-42");
            assertThat(metadata.component3()).isEqualTo(BigInteger.valueOf(1_700_000_000L));
            assertThat(metadata.component4()).isEqualTo(BigInteger.valueOf(1_700_100_000L));
            assertThat(metadata.component5()).isEqualTo("https://dc/agreement");
            assertThat(metadata.component6()).isEqualTo("https://dc/ownership");
            assertThat(Numeric.toHexString(metadata.component7())).isEqualTo(CERTIFICATE);
            assertThat(gpuNft(ADMIN).tokenURI(id).send()).endsWith("/api/chain/metadata/gpu/" + id);
        }

        @Test
        void aGpuWithoutACertificateOrFromAStrangerIsRefused() throws Exception {
            String contract = at.get(ContractName.GpuNFT);
            chain.assertReverts(ADMIN, contract, mint(ALICE.getAddress(), newId(), "0x" + "00".repeat(32)), "MissingCertificate()");
            chain.assertReverts(ALICE, contract, mint(ALICE.getAddress(), newId(), CERTIFICATE), accessDenied());
            chain.assertReverts(ADMIN, contract, fn("metadata", new Uint256(newId())), "UnknownToken(uint256)");
        }

        @Test
        void recertificationReplacesTheHashAndRetirementBurns() throws Exception {
            BigInteger id = newId();
            gpuNft(ADMIN).mint(ALICE.getAddress(), id, "A100 80GB", "SN-7", BigInteger.ONE, BigInteger.TWO, "", "",
                    Numeric.hexStringToByteArray(CERTIFICATE)).send();
            String contract = at.get(ContractName.GpuNFT);
            String newHash = "0x" + "cd".repeat(32);
            chain.assertReverts(ALICE, contract, fn("setCertificate", new Uint256(id), new Bytes32(Numeric.hexStringToByteArray(newHash))), accessDenied());
            chain.assertReverts(ADMIN, contract, fn("setCertificate", new Uint256(id), new Bytes32(new byte[32])), "MissingCertificate()");
            chain.assertReverts(ADMIN, contract, fn("setCertificate", new Uint256(newId()), new Bytes32(Numeric.hexStringToByteArray(newHash))), "UnknownToken(uint256)");
            gpuNft(ADMIN).setCertificate(id, Numeric.hexStringToByteArray(newHash)).send();
            assertThat(Numeric.toHexString(gpuNft(ADMIN).metadata(id).send().component7())).isEqualTo(newHash);

            chain.assertReverts(ALICE, contract, fn("burn", new Uint256(id)), accessDenied());
            gpuNft(ADMIN).burn(id).send();
            assertThat(gpuNft(ADMIN).exists(id).send()).isFalse();
        }
    }

    @Nested
    class TimeSlots {

        private static final long DAY = 86_400;
        private static final long HOUR = 3_600;
        private static final BigInteger OPEN_END = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
        private final long start = 1_999_998_000L; // a whole hour

        private BigInteger mintSlot(Credentials to, int gpus, long from, long until) throws Exception {
            BigInteger id = newId();
            slots(ADMIN).mint(to.getAddress(), id, BigInteger.valueOf(7), BigInteger.valueOf(gpus),
                    BigInteger.valueOf(from), BigInteger.valueOf(until), BigInteger.valueOf(SlotKind.RESERVED.ordinal())).send();
            return id;
        }

        /** A pay-as-you-go slot (ON_DEMAND or SPOT): open-ended from {@code from}. */
        private BigInteger mintOpen(Credentials to, int gpus, long from, SlotKind kind) throws Exception {
            BigInteger id = newId();
            var receipt = slots(ADMIN).mint(to.getAddress(), id, BigInteger.valueOf(7), BigInteger.valueOf(gpus),
                    BigInteger.valueOf(from), OPEN_END, BigInteger.valueOf(kind.ordinal())).send();
            assertThat(TimeSlotNFT.getSlotMintedEvents(receipt).get(0).kind).isEqualTo(BigInteger.valueOf(kind.ordinal()));
            return id;
        }

        private Function mint(BigInteger id, int gpus, long from, BigInteger until, SlotKind kind) {
            return fn("mint", new Address(ALICE.getAddress()), new Uint256(id), new Uint256(7), new Uint32(gpus),
                    new Uint64(from), new Uint64(until), new Uint8(kind.ordinal()));
        }

        private long[] window(BigInteger id) throws Exception {
            var slot = slots(ADMIN).slotOf(id).send();
            assertThat(slot.component5()).as("kind").isEqualTo(slots(ADMIN).kindOf(id).send());
            return new long[] {slot.component1().longValueExact(), slot.component2().longValueExact(),
                    slot.component3().longValueExact(), slot.component4().longValueExact()};
        }

        @Test
        void aSlotHasItsPoolGpusAndWindow() throws Exception {
            BigInteger id = mintSlot(ALICE, 4, start, start + 30 * DAY);
            assertThat(window(id)).containsExactly(7, 4, start, start + 30 * DAY);
            assertThat(slots(ADMIN).startTime(id).send()).isEqualTo(BigInteger.valueOf(start));
            assertThat(slots(ADMIN).endTime(id).send()).isEqualTo(BigInteger.valueOf(start + 30 * DAY));
            assertThat(slots(ADMIN).supportsInterface(Numeric.hexStringToByteArray("0xad092b5c")).send()).as("ERC-4907").isTrue();
        }

        @Test
        void badSlotsAreRefused() throws Exception {
            String contract = at.get(ContractName.TimeSlotNFT);
            BigInteger end = BigInteger.valueOf(start + DAY);
            chain.assertReverts(ADMIN, contract, mint(newId(), 1, start, BigInteger.valueOf(start), SlotKind.RESERVED), "InvalidWindow(uint64,uint64)");
            chain.assertReverts(ADMIN, contract, mint(newId(), 0, start, end, SlotKind.RESERVED), "InvalidGpuCount(uint32)");
            chain.assertReverts(ADMIN, contract, mint(BigInteger.ONE.shiftLeft(128), 1, start, end, SlotKind.RESERVED), "IdReservedForPieces(uint256)");
            chain.assertReverts(ALICE, contract, mint(newId(), 1, start, end, SlotKind.RESERVED), accessDenied());
            // a reservation has a bounded window; a pay-as-you-go slot is open-ended
            chain.assertReverts(ADMIN, contract, mint(newId(), 1, start, OPEN_END, SlotKind.RESERVED), "InvalidWindow(uint64,uint64)");
            chain.assertReverts(ADMIN, contract, mint(newId(), 1, start, end, SlotKind.SPOT), "InvalidWindow(uint64,uint64)");
            chain.assertReverts(ADMIN, contract, mint(newId(), 1, start, end, SlotKind.ON_DEMAND), "InvalidWindow(uint64,uint64)");
        }

        @Test
        void splittingByTimeMakesTwoPiecesThatExactlyCoverTheParent() throws Exception {
            BigInteger parent = mintSlot(ALICE, 2, start, start + 10 * DAY);
            BigInteger next = slots(ADMIN).nextDerivedId().send();
            slots(ALICE).splitAt(parent, BigInteger.valueOf(start + 3 * DAY)).send();

            assertThat(window(next)).containsExactly(7, 2, start, start + 3 * DAY);
            assertThat(window(next.add(BigInteger.ONE))).containsExactly(7, 2, start + 3 * DAY, start + 10 * DAY);
            assertThat(slots(ADMIN).ownerOf(next).send()).isEqualToIgnoringCase(ALICE.getAddress());
            chain.assertReverts(ADMIN, at.get(ContractName.TimeSlotNFT), fn("ownerOf", new Uint256(parent)), "ERC721NonexistentToken(uint256)");
        }

        @Test
        void splittingByCountKeepsTheWindow() throws Exception {
            BigInteger parent = mintSlot(ALICE, 8, start, start + DAY);
            BigInteger next = slots(ADMIN).nextDerivedId().send();
            slots(ALICE).splitByCount(parent, BigInteger.valueOf(3)).send();
            assertThat(window(next)).containsExactly(7, 3, start, start + DAY);
            assertThat(window(next.add(BigInteger.ONE))).containsExactly(7, 5, start, start + DAY);
        }

        @Test
        void splitsOutsideTheWindowOrByStrangersAreRefused() throws Exception {
            BigInteger parent = mintSlot(ALICE, 2, start, start + DAY);
            String contract = at.get(ContractName.TimeSlotNFT);
            chain.assertReverts(ALICE, contract, fn("splitAt", new Uint256(parent), new Uint64(start)), "SplitOutsideWindow(uint64,uint64,uint64)");
            chain.assertReverts(ALICE, contract, fn("splitAt", new Uint256(parent), new Uint64(start + DAY)), "SplitOutsideWindow(uint64,uint64,uint64)");
            chain.assertReverts(ALICE, contract, fn("splitAt", new Uint256(parent), new Uint64(start + HOUR + 1)), "NotWholeHour(uint64)");
            chain.assertReverts(ALICE, contract, fn("splitAt", new Uint256(parent), new Uint64(start + 1800)), "NotWholeHour(uint64)");
            chain.assertReverts(ALICE, contract, fn("splitByCount", new Uint256(parent), new Uint32(2)), "InvalidGpuCount(uint32)");
            chain.assertReverts(ALICE, contract, fn("splitByCount", new Uint256(parent), new Uint32(0)), "InvalidGpuCount(uint32)");
            chain.assertReverts(BOB, contract, fn("splitAt", new Uint256(parent), new Uint64(start + 100)), "ERC721InsufficientApproval(address,uint256)");
        }

        @Test
        void anApprovedOperatorMaySplitAndMergeForTheHolder() throws Exception {
            BigInteger parent = mintSlot(ALICE, 2, start, start + DAY);
            slots(ALICE).setApprovalForAll(BOB.getAddress(), true).send();
            BigInteger first = slots(ADMIN).nextDerivedId().send();
            slots(BOB).splitAt(parent, BigInteger.valueOf(start + HOUR)).send();
            BigInteger merged = slots(ADMIN).nextDerivedId().send();
            slots(BOB).merge(first, first.add(BigInteger.ONE)).send();
            assertThat(window(merged)).containsExactly(7, 2, start, start + DAY);
            assertThat(slots(ADMIN).ownerOf(merged).send()).isEqualToIgnoringCase(ALICE.getAddress());
            slots(ALICE).setApprovalForAll(BOB.getAddress(), false).send();
        }

        @Test
        void slotsOverTheSameWindowMergeByAddingGpus() throws Exception {
            BigInteger a = mintSlot(ALICE, 2, start, start + DAY);
            BigInteger b = mintSlot(ALICE, 3, start, start + DAY);
            BigInteger merged = slots(ADMIN).nextDerivedId().send();
            slots(ALICE).merge(a, b).send();
            assertThat(window(merged)).containsExactly(7, 5, start, start + DAY);
        }

        @Test
        void unmergeableSlotsAreRefused() throws Exception {
            String contract = at.get(ContractName.TimeSlotNFT);
            BigInteger a = mintSlot(ALICE, 2, start, start + DAY);
            BigInteger gap = mintSlot(ALICE, 2, start + 2 * DAY, start + 3 * DAY);
            BigInteger bobs = mintSlot(BOB, 2, start + DAY, start + 2 * DAY);
            BigInteger otherPool = newId();
            slots(ADMIN).mint(ALICE.getAddress(), otherPool, BigInteger.valueOf(8), BigInteger.TWO,
                    BigInteger.valueOf(start + DAY), BigInteger.valueOf(start + 2 * DAY), BigInteger.ZERO).send();
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(a), new Uint256(gap)), "NotMergeable()");
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(a), new Uint256(a)), "NotMergeable()");
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(a), new Uint256(otherPool)), "DifferentPools()");
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(a), new Uint256(bobs)), "ERC721InsufficientApproval(address,uint256)");
            slots(BOB).setApprovalForAll(ALICE.getAddress(), true).send();
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(a), new Uint256(bobs)), "DifferentHolders()");
            slots(BOB).setApprovalForAll(ALICE.getAddress(), false).send();
        }

        @Test
        void theUserExpiresIsClearedByATransferAndKeptBySplits() throws Exception {
            long now = chain.now();
            BigInteger id = mintSlot(ALICE, 2, now, now + DAY);
            slots(ALICE).setUser(id, CAROL.getAddress(), BigInteger.valueOf(now + DAY)).send();
            assertThat(slots(ADMIN).userOf(id).send()).isEqualToIgnoringCase(CAROL.getAddress());
            assertThat(slots(ADMIN).userExpires(id).send()).isEqualTo(BigInteger.valueOf(now + DAY));
            chain.assertReverts(BOB, at.get(ContractName.TimeSlotNFT),
                    fn("setUser", new Uint256(id), new Address(BOB.getAddress()), new Uint64(now + DAY)),
                    "ERC721InsufficientApproval(address,uint256)");

            BigInteger first = slots(ADMIN).nextDerivedId().send();
            slots(ALICE).splitAt(id, BigInteger.valueOf((now / HOUR + 1) * HOUR)).send();
            assertThat(slots(ADMIN).userOf(first).send()).isEqualToIgnoringCase(CAROL.getAddress());
            assertThat(slots(ADMIN).userOf(first.add(BigInteger.ONE)).send()).isEqualToIgnoringCase(CAROL.getAddress());

            slots(ALICE).transferFrom(ALICE.getAddress(), BOB.getAddress(), first).send();
            assertThat(slots(ADMIN).userOf(first).send()).isEqualToIgnoringCase(Addresses.ZERO);
            assertThat(slots(ADMIN).userExpires(first).send()).isZero();
        }

        @Test
        void payAsYouGoSlotsAreOpenEndedAndKeepTheirKind() throws Exception {
            BigInteger onDemand = mintOpen(ALICE, 2, start, SlotKind.ON_DEMAND);
            BigInteger spot = mintOpen(ALICE, 1, start + 60, SlotKind.SPOT);
            var slot = slots(ADMIN).slotOf(onDemand).send();
            assertThat(List.of(slot.component1(), slot.component2(), slot.component3(), slot.component4(), slot.component5()))
                    .containsExactly(BigInteger.valueOf(7), BigInteger.TWO, BigInteger.valueOf(start), OPEN_END, BigInteger.ONE);
            assertThat(slots(ADMIN).endTime(onDemand).send()).isEqualTo(OPEN_END).isEqualTo(slots(ADMIN).OPEN_END().send());
            assertThat(slots(ADMIN).kindOf(onDemand).send()).isEqualTo(BigInteger.ONE);
            assertThat(slots(ADMIN).kindOf(spot).send()).isEqualTo(BigInteger.TWO);
            assertThat(slots(ADMIN).kindOf(mintSlot(ALICE, 1, start, start + DAY)).send()).isZero();
            assertThat(slots(ADMIN).VERSION().send()).isEqualTo(BigInteger.TWO);
            chain.assertReverts(ADMIN, at.get(ContractName.TimeSlotNFT), fn("kindOf", new Uint256(newId())), "ERC721NonexistentToken(uint256)");
        }

        @Test
        void payAsYouGoSlotsAreNeitherSplitNorMergedButTransferredAndLent() throws Exception {
            String contract = at.get(ContractName.TimeSlotNFT);
            BigInteger a = mintOpen(ALICE, 2, start, SlotKind.ON_DEMAND);
            BigInteger b = mintOpen(ALICE, 2, start, SlotKind.ON_DEMAND);
            BigInteger reserved = mintSlot(ALICE, 2, start, start + DAY);
            chain.assertReverts(ALICE, contract, fn("splitAt", new Uint256(a), new Uint64(start + HOUR)), "PayAsYouGoSlot(uint256)");
            chain.assertReverts(ALICE, contract, fn("splitByCount", new Uint256(a), new Uint32(1)), "PayAsYouGoSlot(uint256)");
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(a), new Uint256(b)), "PayAsYouGoSlot(uint256)");
            chain.assertReverts(ALICE, contract, fn("merge", new Uint256(reserved), new Uint256(a)), "PayAsYouGoSlot(uint256)");

            long now = chain.now();
            slots(ALICE).setUser(a, CAROL.getAddress(), BigInteger.valueOf(now + DAY)).send();
            assertThat(slots(ADMIN).userOf(a).send()).isEqualToIgnoringCase(CAROL.getAddress());
            slots(ALICE).transferFrom(ALICE.getAddress(), BOB.getAddress(), a).send();
            assertThat(slots(ADMIN).ownerOf(a).send()).isEqualToIgnoringCase(BOB.getAddress());
            assertThat(slots(ADMIN).userOf(a).send()).isEqualToIgnoringCase(Addresses.ZERO);
        }

        @Test
        void theMinterClosesAPayAsYouGoSlotOnce() throws Exception {
            String contract = at.get(ContractName.TimeSlotNFT);
            BigInteger spot = mintOpen(ALICE, 1, start, SlotKind.SPOT);
            chain.assertReverts(ALICE, contract, fn("close", new Uint256(spot), new Uint64(start + 90)), accessDenied());
            chain.assertReverts(ADMIN, contract, fn("close", new Uint256(spot), new Uint64(start - 1)), "CloseOutsideWindow(uint64,uint64)");
            chain.assertReverts(ADMIN, contract, fn("close", new Uint256(newId()), new Uint64(start)), "ERC721NonexistentToken(uint256)");
            chain.assertReverts(ADMIN, contract, fn("close", new Uint256(mintSlot(ALICE, 1, start, start + DAY)), new Uint64(start + 60)),
                    "NotPayAsYouGo(uint256)");

            var receipt = slots(ADMIN).close(spot, BigInteger.valueOf(start + 90)).send(); // stopped after 90 s
            var closed = TimeSlotNFT.getSlotClosedEvents(receipt).get(0);
            assertThat(closed.tokenId).isEqualTo(spot);
            assertThat(closed.at).isEqualTo(BigInteger.valueOf(start + 90));
            assertThat(window(spot)).containsExactly(7, 1, start, start + 90);
            assertThat(slots(ADMIN).ownerOf(spot).send()).isEqualToIgnoringCase(ALICE.getAddress());
            chain.assertReverts(ADMIN, contract, fn("close", new Uint256(spot), new Uint64(start + 60)), "AlreadyClosed(uint256,uint64)");

            BigInteger unused = mintOpen(ALICE, 1, start, SlotKind.ON_DEMAND); // stopped before it ran: an empty window
            slots(ADMIN).close(unused, BigInteger.valueOf(start)).send();
            assertThat(window(unused)).containsExactly(7, 1, start, start);
        }

        @Test
        void aUserWhoseTimeIsUpIsNoLongerTheUser() throws Exception {
            long now = chain.now();
            BigInteger id = mintSlot(ALICE, 1, now, now + DAY);
            slots(ALICE).setUser(id, CAROL.getAddress(), BigInteger.valueOf(now + 60)).send();
            chain.advanceTime(Duration.ofMinutes(2));
            assertThat(slots(ADMIN).userOf(id).send()).isEqualToIgnoringCase(Addresses.ZERO);
        }
    }

    @Nested
    class Tokens {

        @Test
        void theTokenHas18DecimalsAndOnlyMintersMint() throws Exception {
            assertThat(token(ADMIN).decimals().send()).isEqualTo(BigInteger.valueOf(18));
            assertThat(token(ADMIN).symbol().send()).isEqualTo("BCT");
            BigInteger before = token(ADMIN).balanceOf(CAROL.getAddress()).send();
            token(ADMIN).mint(CAROL.getAddress(), BigInteger.TEN.pow(18)).send();
            assertThat(token(ADMIN).balanceOf(CAROL.getAddress()).send()).isEqualTo(before.add(BigInteger.TEN.pow(18)));
            chain.assertReverts(CAROL, at.get(ContractName.BerkeleyToken), fn("mint", new Address(CAROL.getAddress()), new Uint256(1)), accessDenied());
        }

        @Test
        void holdersBurnTheirOwnTokensAndAllowancesLimitBurnFrom() throws Exception {
            token(ADMIN).mint(BOB.getAddress(), BigInteger.valueOf(1000)).send();
            BigInteger supply = token(ADMIN).totalSupply().send();
            token(BOB).burn(BigInteger.valueOf(400)).send();
            assertThat(token(ADMIN).totalSupply().send()).isEqualTo(supply.subtract(BigInteger.valueOf(400)));
            chain.assertReverts(ALICE, at.get(ContractName.BerkeleyToken),
                    fn("burnFrom", new Address(BOB.getAddress()), new Uint256(1)), "ERC20InsufficientAllowance(address,uint256,uint256)");
            chain.assertReverts(BOB, at.get(ContractName.BerkeleyToken),
                    fn("burn", new Uint256(BigInteger.TEN.pow(30))), "ERC20InsufficientBalance(address,uint256,uint256)");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Credits {

        private static final BigInteger ONE_TOKEN = BigInteger.TEN.pow(18);

        @Test
        void burningTokensBuysDataCreditsAtTheOraclePrice() throws Exception {
            long now = chain.now();
            burner(ADMIN).setPrice(BigInteger.valueOf(250_000_000L), BigInteger.valueOf(now)).send(); // 2.50 USD
            assertThat(burner(ADMIN).quote(ONE_TOKEN).send()).isEqualTo(BigInteger.valueOf(250_000)); // 2.50 USD = 250,000 DC
            token(ADMIN).mint(ALICE.getAddress(), ONE_TOKEN.multiply(BigInteger.TEN)).send();
            token(ALICE).approve(at.get(ContractName.CreditsBurner), ONE_TOKEN.multiply(BigInteger.TWO)).send();
            BigInteger supply = token(ADMIN).totalSupply().send();
            byte[] account = Hash.sha3(Numeric.hexStringToByteArray(ALICE.getAddress()));

            var receipt = burner(ALICE).burnForCredits(ONE_TOKEN.multiply(BigInteger.TWO), account).send();

            var bought = CreditsBurner.getCreditsBoughtEvents(receipt).get(0);
            assertThat(bought.buyer).isEqualToIgnoringCase(ALICE.getAddress());
            assertThat(bought.account).isEqualTo(account);
            assertThat(bought.dataCredits).isEqualTo(BigInteger.valueOf(500_000));
            assertThat(token(ADMIN).totalSupply().send()).isEqualTo(supply.subtract(ONE_TOKEN.multiply(BigInteger.TWO)));
        }

        @Test
        void dataCreditsRoundDownAndTooSmallBurnsAreRefused() throws Exception {
            burner(ADMIN).setPrice(BigInteger.valueOf(100_000_000L), BigInteger.valueOf(chain.now())).send(); // 1 USD
            // 1.5e13 base units = 0.000015 tokens = 0.000015 USD = 1.5 DC, rounded down to 1
            assertThat(burner(ADMIN).quote(BigInteger.TEN.pow(12).multiply(BigInteger.valueOf(15))).send()).isEqualTo(BigInteger.ONE);
            chain.assertReverts(ALICE, at.get(ContractName.CreditsBurner),
                    fn("burnForCredits", new Uint256(BigInteger.TEN.pow(12)), new Bytes32(new byte[32])), "TooSmall(uint256)");
        }

        @Test
        void burningWithoutAnAllowanceIsRefused() throws Exception {
            burner(ADMIN).setPrice(BigInteger.valueOf(100_000_000L), BigInteger.valueOf(chain.now())).send();
            token(ADMIN).mint(CAROL.getAddress(), ONE_TOKEN).send();
            chain.assertReverts(CAROL, at.get(ContractName.CreditsBurner),
                    fn("burnForCredits", new Uint256(ONE_TOKEN), new Bytes32(new byte[32])), "ERC20InsufficientAllowance(address,uint256,uint256)");
        }

        @Test
        void badAndStalePricesAreRefused() throws Exception {
            String contract = at.get(ContractName.CreditsBurner);
            long now = chain.now();
            chain.assertReverts(ALICE, contract, fn("setPrice", new Uint256(1), new Uint64(now)), accessDenied());
            chain.assertReverts(ADMIN, contract, fn("setPrice", new Uint256(0), new Uint64(now)), "ZeroPrice()");
            chain.assertReverts(ADMIN, contract, fn("setPrice", new Uint256(1), new Uint64(now + 3600)), "PriceFromTheFuture(uint64)");
            chain.assertReverts(ALICE, contract, fn("setMaxPriceAge", new Uint64(1)), accessDenied());

            burner(ADMIN).setPrice(BigInteger.valueOf(100_000_000L), BigInteger.valueOf(now)).send();
            chain.advanceTime(Duration.ofHours(2)); // maxPriceAge is 1 h
            chain.assertReverts(ALICE, contract, fn("quote", new Uint256(ONE_TOKEN)), "StalePrice(uint64,uint64)");
            chain.assertReverts(ALICE, contract, fn("burnForCredits", new Uint256(ONE_TOKEN), new Bytes32(new byte[32])), "StalePrice(uint64,uint64)");

            burner(ADMIN).setMaxPriceAge(BigInteger.valueOf(3 * 3600)).send();
            assertThat(burner(ADMIN).quote(ONE_TOKEN).send()).isEqualTo(BigInteger.valueOf(100_000));
            burner(ADMIN).setMaxPriceAge(BigInteger.valueOf(3600)).send();
        }

        @Test
        void withoutAnyPriceNothingIsQuoted() throws Exception {
            try (TestChain fresh = TestChain.start()) {
                Map<ContractName, String> contracts = fresh.deployAll();
                fresh.assertReverts(ALICE, contracts.get(ContractName.CreditsBurner), fn("quote", new Uint256(ONE_TOKEN)), "NoPrice()");
            }
        }
    }

    @Nested
    class Rewards {

        /** Epochs only go up: take them from the shared id counter. */
        private long nextEpoch() {
            return IDS.getAndAdd(10);
        }

        @SuppressWarnings("rawtypes")
        private List<Type> claim(long epoch, Credentials who, BigInteger cumulative, List<String> proof) {
            return List.of(new Uint256(epoch), new Address(who.getAddress()), new Uint256(cumulative),
                    new DynamicArray<>(Bytes32.class, proof.stream().map(p -> new Bytes32(Numeric.hexStringToByteArray(p))).toList()));
        }

        @Test
        void holdersClaimTheirCumulativeEntitlementOnceAndTheDifferenceLater() throws Exception {
            long epoch = nextEpoch();
            MerkleTree first = MerkleTree.of(List.of(
                    new MerkleTree.Entitlement(ALICE.getAddress(), BigInteger.valueOf(100)),
                    new MerkleTree.Entitlement(BOB.getAddress(), BigInteger.valueOf(50)),
                    new MerkleTree.Entitlement(CAROL.getAddress(), BigInteger.valueOf(7))));
            rewards(ADMIN).setRoot(BigInteger.valueOf(epoch), Numeric.hexStringToByteArray(first.root())).send();
            BigInteger before = token(ADMIN).balanceOf(BOB.getAddress()).send();

            rewards(BOB).claim(BigInteger.valueOf(epoch), BOB.getAddress(), BigInteger.valueOf(50),
                    first.proof(BOB.getAddress()).stream().map(Numeric::hexStringToByteArray).toList()).send();
            assertThat(token(ADMIN).balanceOf(BOB.getAddress()).send()).isEqualTo(before.add(BigInteger.valueOf(50)));

            String contract = at.get(ContractName.EpochRewards);
            chain.assertReverts(BOB, contract, new Function("claim", claim(epoch, BOB, BigInteger.valueOf(50), first.proof(BOB.getAddress())), List.of()),
                    "NothingToClaim(uint256,uint256)");

            MerkleTree second = MerkleTree.of(List.of(
                    new MerkleTree.Entitlement(ALICE.getAddress(), BigInteger.valueOf(100)),
                    new MerkleTree.Entitlement(BOB.getAddress(), BigInteger.valueOf(80))));
            rewards(ADMIN).setRoot(BigInteger.valueOf(epoch + 1), Numeric.hexStringToByteArray(second.root())).send();
            // anyone may submit the claim; the tokens go to the account
            rewards(CAROL).claim(BigInteger.valueOf(epoch + 1), BOB.getAddress(), BigInteger.valueOf(80),
                    second.proof(BOB.getAddress()).stream().map(Numeric::hexStringToByteArray).toList()).send();
            assertThat(token(ADMIN).balanceOf(BOB.getAddress()).send()).isEqualTo(before.add(BigInteger.valueOf(80)));
            assertThat(rewards(ADMIN).claimed(BOB.getAddress()).send()).isEqualTo(BigInteger.valueOf(80));
        }

        @Test
        void forgedClaimsAndBadRootsAreRefused() throws Exception {
            long epoch = nextEpoch();
            String contract = at.get(ContractName.EpochRewards);
            MerkleTree tree = MerkleTree.of(List.of(
                    new MerkleTree.Entitlement(ALICE.getAddress(), BigInteger.valueOf(100)),
                    new MerkleTree.Entitlement(BOB.getAddress(), BigInteger.valueOf(50))));
            chain.assertReverts(ALICE, contract, fn("setRoot", new Uint256(epoch), new Bytes32(Numeric.hexStringToByteArray(tree.root()))), accessDenied());
            chain.assertReverts(ADMIN, contract, fn("setRoot", new Uint256(epoch), new Bytes32(new byte[32])), "EmptyRoot()");
            rewards(ADMIN).setRoot(BigInteger.valueOf(epoch), Numeric.hexStringToByteArray(tree.root())).send();
            chain.assertReverts(ADMIN, contract, fn("setRoot", new Uint256(epoch), new Bytes32(Numeric.hexStringToByteArray(tree.root()))),
                    "EpochNotAfterLatest(uint256,uint256)");

            chain.assertReverts(ALICE, contract, new Function("claim", claim(epoch, ALICE, BigInteger.valueOf(1000), tree.proof(ALICE.getAddress())), List.of()),
                    "InvalidProof()");
            chain.assertReverts(CAROL, contract, new Function("claim", claim(epoch, CAROL, BigInteger.valueOf(100), tree.proof(ALICE.getAddress())), List.of()),
                    "InvalidProof()");
            chain.assertReverts(ALICE, contract, new Function("claim", claim(epoch + 5, ALICE, BigInteger.valueOf(100), tree.proof(ALICE.getAddress())), List.of()),
                    "UnknownEpoch(uint256)");
        }
    }
}
