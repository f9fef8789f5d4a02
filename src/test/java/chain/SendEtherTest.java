package chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** The plain ether transfer effect: bounded, stored and read back unchanged, sent as value with no calldata. */
class SendEtherTest {

    private static final String TO = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    @Test
    void anEtherTransferIsAValueToTheAddressWithNoCalldata() {
        ChainEffect.SendEther effect = new ChainEffect.SendEther(TO, BigInteger.TEN.pow(16));
        assertThat(effect.contract()).isNull();
        assertThat(EffectEncoder.to(effect, null)).isEqualTo(TO);
        assertThat(EffectEncoder.value(effect)).isEqualTo(BigInteger.TEN.pow(16));
        assertThat(EffectEncoder.calldata(effect)).isEqualTo("0x");
        assertThat(Effects.read(Effects.write(effect))).isEqualTo(effect);
        assertThat(EffectEncoder.value(new ChainEffect.BurnTokens(BigInteger.ONE))).isZero();
    }

    @Test
    void nothingOrMoreThanOneEtherIsRefused() {
        assertThatThrownBy(() -> new ChainEffect.SendEther(TO, BigInteger.ZERO)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> new ChainEffect.SendEther(TO, BigInteger.TEN.pow(18).add(BigInteger.ONE)))
                .isInstanceOf(DomainException.class).hasMessageContaining("at most 1 ether");
        assertThatThrownBy(() -> new ChainEffect.SendEther("0x12", BigInteger.ONE)).isInstanceOf(DomainException.class);
    }
}
