package chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import platform.DomainException;

/**
 * The time-slot effects of TimeSlotNFT version 2: a mint carries its kind (pay-as-you-go ones
 * open-ended), a close ends a pay-as-you-go slot; both are stored and read back unchanged, and a
 * mint stored before version 2 (no kind) reads as a reservation.
 */
class SlotEffectsTest {

    private static final String TO = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    private static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    @Test
    void aMintCarriesItsKindAndAnOpenEndIsTheContractsOpenEnd() {
        var spot = new ChainEffect.MintTimeSlot(TO, BigInteger.ONE, BigInteger.TWO, 1, START, null, SlotKind.SPOT);
        assertThat(Effects.read(Effects.write(spot))).isEqualTo(spot);
        assertThat(Effects.write(spot)).contains("\"kind\":\"MintTimeSlot\"").contains("\"slotKind\":\"SPOT\"");
        String calldata = EffectEncoder.calldata(spot);
        assertThat(calldata).startsWith(selector("mint(address,uint256,uint256,uint32,uint64,uint64,uint8)"));
        assertThat(calldata).endsWith("000000000000000000000000000000000000000000000000ffffffffffffffff"
                + "0000000000000000000000000000000000000000000000000000000000000002");

        var reserved = new ChainEffect.MintTimeSlot(TO, BigInteger.ONE, BigInteger.TWO, 1, START, START.plusSeconds(3600));
        assertThat(reserved.kind()).isEqualTo(SlotKind.RESERVED);
        assertThat(Effects.read(Effects.write(reserved))).isEqualTo(reserved);
    }

    @Test
    void aMintStoredBeforeSlotsHadKindsIsAReservation() {
        String stored = "{\"kind\":\"MintTimeSlot\",\"to\":\"" + TO + "\",\"tokenId\":5,\"pool\":7,\"gpuCount\":2,"
                + "\"start\":\"2026-06-01T00:00:00Z\",\"end\":\"2026-06-02T00:00:00Z\"}";
        assertThat(Effects.read(stored)).isEqualTo(new ChainEffect.MintTimeSlot(TO, BigInteger.valueOf(5), BigInteger.valueOf(7), 2,
                START, Instant.parse("2026-06-02T00:00:00Z"), SlotKind.RESERVED));
    }

    @Test
    void reservationsNeedAnEndAndPayAsYouGoSlotsHaveNone() {
        assertThatThrownBy(() -> new ChainEffect.MintTimeSlot(TO, BigInteger.ONE, BigInteger.ONE, 1, START, null))
                .isInstanceOf(DomainException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new ChainEffect.MintTimeSlot(TO, BigInteger.ONE, BigInteger.ONE, 1, START, START.plusSeconds(60),
                SlotKind.ON_DEMAND)).isInstanceOf(DomainException.class).hasMessageContaining("open-ended");
        assertThatThrownBy(() -> new ChainEffect.MintTimeSlot(TO, BigInteger.ONE, BigInteger.ONE, 1, null, null, SlotKind.SPOT))
                .isInstanceOf(DomainException.class).hasMessageContaining("start");
    }

    @Test
    void aCloseEndsTheSlotAtAnInstant() {
        var close = new ChainEffect.CloseSlot(BigInteger.TEN, START.plusSeconds(90));
        assertThat(close.contract()).isEqualTo(ContractName.TimeSlotNFT);
        assertThat(Effects.read(Effects.write(close))).isEqualTo(close);
        assertThat(EffectEncoder.calldata(close)).startsWith(selector("close(uint256,uint64)"));
        assertThatThrownBy(() -> new ChainEffect.CloseSlot(BigInteger.TEN, null)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> new ChainEffect.CloseSlot(BigInteger.ONE.negate(), START)).isInstanceOf(DomainException.class);
    }
}
