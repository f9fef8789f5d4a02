package credits;

import static org.assertj.core.api.Assertions.assertThat;

import accounts.WalletAddress;
import org.junit.jupiter.api.Test;

/** The burn's account argument: a wallet's address left-padded to 32 bytes (DESIGN section 10). */
class BurnAccountTest {

    private static final WalletAddress WALLET = new WalletAddress("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");

    @Test
    void anAccountIsTheAddressLeftPaddedWithZeros() {
        assertThat(BurnAccount.of(WALLET)).isEqualTo("0x0000000000000000000000007e5f4552091a69125d5dfcb7b8c2659029395bdf");
        assertThat(BurnAccount.wallet(BurnAccount.of(WALLET))).contains(WALLET);
        assertThat(BurnAccount.wallet("0x0000000000000000000000007E5F4552091A69125D5DFCB7B8C2659029395BDF")).contains(WALLET);
    }

    @Test
    void anAccountWithAnythingInItsUpperTwelveBytesNamesNoWallet() {
        assertThat(BurnAccount.wallet("0x0000000000000000000000017e5f4552091a69125d5dfcb7b8c2659029395bdf")).isEmpty();
        // keccak256 of an address (what the contract's comment once suggested) is not an account here
        assertThat(BurnAccount.wallet(org.web3j.crypto.Hash.sha3(WALLET.value()))).isEmpty();
        assertThat(BurnAccount.wallet("0x7e5f4552091a69125d5dfcb7b8c2659029395bdf")).isEmpty();
        assertThat(BurnAccount.wallet(null)).isEmpty();
        assertThat(BurnAccount.wallet("0x" + "zz".repeat(32))).isEmpty();
    }
}
