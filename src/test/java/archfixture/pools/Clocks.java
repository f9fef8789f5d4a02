package archfixture.pools;

import java.time.Instant;

/** Deliberate violations for ArchitectureTest: the wall clock read directly, and web3j's RPC outside chain. */
public class Clocks {

    public Instant now() {
        return Instant.now();
    }

    public Object rpc() {
        return new org.web3j.abi.datatypes.Address("0x0000000000000000000000000000000000000001");
    }
}
