package chain;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.core.DefaultBlockParameterName;
import platform.PlatformConfig;

/**
 * Which contracts the marketplace uses on its chain: those configured ({@code bc.chain.contracts.*}),
 * else those it deployed and recorded in {@code chain_contract}. The chain leader deploys what is
 * missing on first start; every instance then reads the same addresses.
 */
@ApplicationScoped
class ContractRegistry {

    /** The TimeSlotNFT version this app speaks (slot kinds, close, whole-hour splits). */
    static final java.math.BigInteger TIME_SLOT_VERSION = java.math.BigInteger.TWO;

    private final ChainConfig config;
    private final PlatformConfig platform;
    private final Clock clock;
    private final EntityManager em;
    private volatile Map<ContractName, String> addresses = Map.of();

    ContractRegistry(ChainConfig config, PlatformConfig platform, Clock clock, EntityManager em) {
        this.config = config;
        this.platform = platform;
        this.clock = clock;
        this.em = em;
    }

    Map<ContractName, String> addresses() {
        return addresses;
    }

    boolean complete() {
        return addresses.size() == ContractName.values().length;
    }

    String address(ContractName name) {
        String address = addresses.get(name);
        if (address == null) {
            throw new IllegalStateException(name + " is not deployed yet");
        }
        return address;
    }

    Optional<ContractName> nameOf(String address) {
        return addresses.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(address)).map(Map.Entry::getKey).findFirst();
    }

    /** Reads the recorded addresses (for instances that are not the chain leader). */
    void reload() {
        addresses = merged(recorded());
    }

    /** Deploys what is missing (leader only) and checks that every contract has code on the chain. */
    void ensureDeployed(ChainClient client) throws Exception {
        Map<ContractName, String> known = merged(recorded());
        if (known.size() < ContractName.values().length) {
            Deployer deployer = new Deployer(client.web3j(), client.signer(), client.chainId());
            known = deployer.deployMissing(known, platform.publicUrl() + "/api/chain/metadata", config.maxPriceAge(),
                    (name, receipt) -> record(client.chainId(), name, receipt.getContractAddress(),
                            receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact()));
        }
        for (Map.Entry<ContractName, String> entry : known.entrySet()) {
            String code = ChainClient.send(client.web3j().ethGetCode(entry.getValue(), DefaultBlockParameterName.LATEST)).getCode();
            if (code == null || code.equals("0x")) {
                throw new IllegalStateException(entry.getKey() + " has no code at " + entry.getValue() + " on chain "
                        + client.chainId() + ": was the chain reset while the database kept its addresses?");
            }
        }
        requireTimeSlotVersion(client, known.get(ContractName.TimeSlotNFT));
        addresses = Collections.unmodifiableMap(known);
    }

    /**
     * Refuses a TimeSlotNFT of the first version (no slot kinds), e.g. one still configured in
     * {@code bc.chain.contracts.time-slot-nft}: version 2 must be deployed (docs/decisions.md).
     */
    private static void requireTimeSlotVersion(ChainClient client, String address) throws java.io.IOException {
        if (address == null) {
            return;
        }
        String data = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("VERSION", List.of(), List.of()));
        org.web3j.protocol.core.methods.response.EthCall answer = client.web3j().ethCall(
                org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(null, address, data),
                DefaultBlockParameterName.LATEST).send();
        boolean reverted = answer.isReverted() || (answer.hasError() && String.valueOf(answer.getError().getMessage())
                .toLowerCase(Locale.ROOT).contains("revert"));
        if (answer.hasError() && !reverted) {
            throw new ChainClient.RpcException(answer.getError().getMessage());
        }
        String value = reverted ? null : answer.getValue();
        java.math.BigInteger version = value == null || value.equals("0x") ? java.math.BigInteger.ONE : org.web3j.utils.Numeric.toBigInt(value);
        if (!version.equals(TIME_SLOT_VERSION)) {
            throw new IllegalStateException("TimeSlotNFT at " + address + " is version " + version + ", not " + TIME_SLOT_VERSION
                    + ": deploy version 2 (leave bc.chain.contracts.time-slot-nft and bc.chain.contracts.slot-market empty to have "
                    + "the app deploy them) and see docs/decisions.md, \"Time slots, version 2\"");
        }
    }

    /** The first block any of the NFT contracts can have events in (where event sync starts). */
    long firstBlock() {
        List<?> rows = em.createNativeQuery("select min(deployed_block) from chain_contract where chain_id = ?1")
                .setParameter(1, config.id()).getResultList();
        Object first = rows.isEmpty() ? null : rows.get(0);
        return first == null ? 0 : ((Number) first).longValue();
    }

    private Map<ContractName, String> merged(Map<ContractName, String> recorded) {
        Map<ContractName, String> merged = new EnumMap<>(ContractName.class);
        merged.putAll(recorded);
        ChainConfig.Contracts configured = config.contracts();
        put(merged, ContractName.OperatorNFT, configured.operatorNft());
        put(merged, ContractName.GpuNFT, configured.gpuNft());
        put(merged, ContractName.TimeSlotNFT, configured.timeSlotNft());
        put(merged, ContractName.BerkeleyToken, configured.berkeleyToken());
        put(merged, ContractName.CreditsBurner, configured.creditsBurner());
        put(merged, ContractName.EpochRewards, configured.epochRewards());
        put(merged, ContractName.SlotMarket, configured.slotMarket());
        return merged;
    }

    private static void put(Map<ContractName, String> map, ContractName name, Optional<String> address) {
        address.filter(a -> !a.isBlank()).ifPresent(a -> map.put(name, Addresses.address("bc.chain.contracts." + name, a.trim())));
    }

    @SuppressWarnings("unchecked")
    private Map<ContractName, String> recorded() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<ContractName, String> found = new EnumMap<>(ContractName.class);
            List<Object[]> rows = em.createNativeQuery("select name, address from chain_contract where chain_id = ?1")
                    .setParameter(1, config.id()).getResultList();
            rows.forEach(r -> found.put(ContractName.valueOf((String) r[0]), (String) r[1]));
            return found;
        });
    }

    private void record(long chainId, ContractName name, String address, String tx, long block) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into chain_contract (chain_id, name, address, deployed_tx, deployed_block, recorded_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing""")
                .setParameter(1, chainId).setParameter(2, name.name())
                .setParameter(3, address.toLowerCase(Locale.ROOT)).setParameter(4, tx).setParameter(5, block)
                .setParameter(6, clock.instant())
                .executeUpdate());
    }
}
