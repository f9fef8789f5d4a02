package chain;

import accounts.ManagedWallets;
import accounts.WalletAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import platform.DomainException;

/**
 * The on-chain acts the platform signs for a managed wallet (issue 11): a passkey account asks, and
 * its wallet's call of one of the marketplace's contracts goes through the outbox, signed with the
 * key custody holds, its gas paid by a top-up from the platform signer ({@link Relay}). Every act is
 * a row of the account's audit log ({@link #history}).
 *
 * <p>What it signs is a closed list ({@link #FUNCTIONS}): the acts on slots (split, merge, set the
 * user, list, cancel, buy), burning tokens for credits, claiming rewards, approvals of the
 * marketplace's own contracts only, and transfers. A transfer keeps the asset in custody (to another
 * managed wallet) or is a withdrawal to the account's linked wallet, once
 * {@code bc.custody.withdrawal-delay} has passed since it was linked; no other address receives
 * anything, so a stolen session cannot send an account's assets away. Each act is first run as a
 * call (eth_call from the wallet), so what the contract would refuse is refused here with its reason
 * and never signed; acts per hour and withdrawals per day are limited per wallet
 * ({@code bc.custody.*}).
 */
@ApplicationScoped
public class WalletActs {

    /** What an account asked the platform to sign. */
    public enum Act { SPLIT, MERGE, SET_USER, APPROVE, LIST, CANCEL, BUY, BURN, CLAIM, TRANSFER, WITHDRAWAL }

    /** A function a managed wallet may call: on which contract, its signature with parameter names, what act it is. */
    record Callable(ContractName contract, String signature, Act act) {
        String selector() {
            return Hash.sha3String(signature.replaceAll(" [a-zA-Z]+", "")).substring(0, 10);
        }

        List<String> parameters() {
            String inside = signature.substring(signature.indexOf('(') + 1, signature.length() - 1);
            return inside.isEmpty() ? List.of() : List.of(inside.split(","));
        }
    }

    static final List<Callable> FUNCTIONS = List.of(
            new Callable(ContractName.TimeSlotNFT, "splitAt(uint256 tokenId,uint64 at)", Act.SPLIT),
            new Callable(ContractName.TimeSlotNFT, "splitByCount(uint256 tokenId,uint32 gpuCount)", Act.SPLIT),
            new Callable(ContractName.TimeSlotNFT, "merge(uint256 firstId,uint256 secondId)", Act.MERGE),
            new Callable(ContractName.TimeSlotNFT, "setUser(uint256 tokenId,address user,uint64 expires)", Act.SET_USER),
            new Callable(ContractName.TimeSlotNFT, "setApprovalForAll(address operator,bool approved)", Act.APPROVE),
            new Callable(ContractName.SlotMarket, "list(uint256 tokenId,uint256 price)", Act.LIST),
            new Callable(ContractName.SlotMarket, "cancel(uint256 tokenId)", Act.CANCEL),
            new Callable(ContractName.SlotMarket, "buy(uint256 tokenId,uint256 maxPrice)", Act.BUY),
            new Callable(ContractName.SlotMarket, "buyPart(uint256 tokenId,uint64 start,uint64 end,uint32 gpuCount,uint256 maxPrice)", Act.BUY),
            new Callable(ContractName.BerkeleyToken, "approve(address spender,uint256 amount)", Act.APPROVE),
            new Callable(ContractName.CreditsBurner, "burnForCredits(uint256 tokenAmount,bytes32 account)", Act.BURN),
            new Callable(ContractName.EpochRewards, "claim(uint256 epoch,address account,uint256 cumulativeAmount,bytes32[] proof)", Act.CLAIM),
            new Callable(ContractName.BerkeleyToken, "transfer(address to,uint256 amount)", Act.TRANSFER),
            new Callable(ContractName.TimeSlotNFT, "transferFrom(address from,address to,uint256 tokenId)", Act.TRANSFER),
            new Callable(ContractName.TimeSlotNFT, "safeTransferFrom(address from,address to,uint256 tokenId)", Act.TRANSFER),
            new Callable(ContractName.GpuNFT, "transferFrom(address from,address to,uint256 tokenId)", Act.TRANSFER),
            new Callable(ContractName.GpuNFT, "safeTransferFrom(address from,address to,uint256 tokenId)", Act.TRANSFER),
            new Callable(ContractName.OperatorNFT, "transferFrom(address from,address to,uint256 tokenId)", Act.TRANSFER),
            new Callable(ContractName.OperatorNFT, "safeTransferFrom(address from,address to,uint256 tokenId)", Act.TRANSFER));

    private static final Map<String, Callable> BY_CONTRACT_AND_SELECTOR = FUNCTIONS.stream()
            .collect(Collectors.toUnmodifiableMap(f -> f.contract() + f.selector(), Function.identity()));
    /** The contracts a managed wallet may approve to move its slots or tokens: the marketplace's own. */
    private static final List<ContractName> SPENDERS = List.of(ContractName.SlotMarket, ContractName.CreditsBurner);

    /** One act in the audit log: what was asked, when, and what became of it on chain. */
    public record Entry(String key, Act act, String description, ContractName contract, EffectStatus.Status status, String txHash,
                        Long blockNumber, String error, Instant requestedAt, Instant confirmedAt, String explorerUrl) {
    }

    private final ChainClient client;
    private final ContractRegistry contracts;
    private final ManagedWallets managed;
    private final EntityManager em;
    private final Clock clock;
    private final Chain chain;

    WalletActs(ChainClient client, ContractRegistry contracts, ManagedWallets managed, EntityManager em, Clock clock, Chain chain) {
        this.client = client;
        this.contracts = contracts;
        this.managed = managed;
        this.em = em;
        this.clock = clock;
        this.chain = chain;
    }

    /**
     * Asks the platform to sign {@code data} to contract {@code to} for the managed wallet of
     * {@code caller}; {@code from}, when given, must be that wallet (403 otherwise). Refused with a
     * 4xx that says why when the call is not one a managed wallet may make, breaks a custody rule or
     * limit, or would revert; the act, pending, otherwise.
     */
    public Entry ask(WalletAddress caller, Optional<String> from, String to, String data) {
        WalletAddress wallet = ownManagedWallet(caller, from);
        ContractName contract = contracts.nameOf(Addresses.address("to", to))
                .orElseThrow(() -> DomainException.invalid("to: " + to + " is not one of the marketplace's contracts ("
                        + String.join(", ", contracts.addresses().keySet().stream().map(Enum::name).toList()) + ")"));
        ChainEffect.WalletCall call = new ChainEffect.WalletCall(contract, data);
        Callable function = Optional.ofNullable(BY_CONTRACT_AND_SELECTOR.get(contract + call.data().substring(0, 10)))
                .orElseThrow(() -> DomainException.invalid("data: the platform does not sign " + call.data().substring(0, 10) + " on "
                        + contract + " for a managed wallet; it signs " + FUNCTIONS.stream().filter(f -> f.contract() == contract)
                        .map(f -> f.signature().replaceAll(" [a-zA-Z]+", "")).distinct().collect(Collectors.joining(", "))));
        String description = describe(function, call.data());
        Act act = checked(wallet, function, call.data());
        return QuarkusTransaction.requiringNew().call(() -> {
            lockActsOf(wallet);
            withinLimits(wallet, act == Act.WITHDRAWAL ? 1 : 0);
            simulate(wallet, contract, call.data(), function);
            return insert(wallet, act, description, call);
        });
    }

    /**
     * Withdraws everything the managed wallet of {@code caller} holds on chain (time slots, GPU and
     * operator NFTs, BCT) to its linked wallet: one act per asset, all refused when the wallet is not
     * linked long enough or the day's withdrawals would pass the limit. Ether left from gas top-ups
     * stays (it was the platform's), and Data Credits are no token: they stay with the account.
     */
    public List<Entry> withdrawAll(WalletAddress caller) {
        WalletAddress wallet = ownManagedWallet(caller, Optional.empty());
        WalletAddress linked = linkedWalletReadyFor(wallet);
        List<ChainEffect.WalletCall> calls = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (AssetKind kind : AssetKind.values()) {
            for (Token token : chain.tokensOf(kind, wallet.value())) {
                calls.add(new ChainEffect.WalletCall(kind.contract(), FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
                        "transferFrom", List.of(new Address(wallet.value()), new Address(linked.value()), new Uint256(token.tokenId())), List.of()))));
                descriptions.add("Withdraw " + kind.slug() + " NFT " + token.tokenId() + " to " + linked.value());
            }
        }
        BigInteger tokens = chain.tokenBalance(wallet.value())
                .orElseThrow(() -> new DomainException(DomainException.Kind.CONFLICT, "The chain does not answer; withdraw again in a moment"));
        if (tokens.signum() > 0) {
            calls.add(new ChainEffect.WalletCall(ContractName.BerkeleyToken, FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
                    "transfer", List.of(new Address(linked.value()), new Uint256(tokens)), List.of()))));
            descriptions.add("Withdraw " + new BigDecimal(tokens).movePointLeft(18).stripTrailingZeros().toPlainString() + " BCT to " + linked.value());
        }
        if (calls.isEmpty()) {
            throw DomainException.conflict("The managed wallet " + wallet.value() + " holds no NFT and no BCT: there is nothing to withdraw");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            lockActsOf(wallet);
            withinLimits(wallet, calls.size());
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                entries.add(insert(wallet, Act.WITHDRAWAL, descriptions.get(i), calls.get(i)));
            }
            return entries;
        });
    }

    /** A read-only call from the wallet of {@code caller} to one of the marketplace's contracts (what a page asks a wallet's eth_call). */
    public String call(WalletAddress caller, String to, String data) {
        ContractName contract = contracts.nameOf(Addresses.address("to", to))
                .orElseThrow(() -> DomainException.invalid("to: " + to + " is not one of the marketplace's contracts"));
        ChainEffect.WalletCall call = new ChainEffect.WalletCall(contract, data);
        EthCall answer = ethCall(caller, contract, call.data());
        if (answer.isReverted()) {
            throw DomainException.conflict("The contract reverted the call: " + reason(answer));
        }
        return answer.getValue();
    }

    /** The acts signed for {@code wallet}, newest first. */
    public List<Entry> history(WalletAddress wallet, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> OutboxEntity.<OutboxEntity>find("sender = ?1 order by id desc", wallet.value())
                .page(0, Math.max(1, Math.min(limit, Chain.MAX_ROWS))).list().stream().map(this::entry).toList());
    }

    /** One act of {@code wallet}'s log; 404 for a key that is not one of its acts. */
    public Entry act(WalletAddress wallet, String key) {
        return QuarkusTransaction.joiningExisting().call(() -> OutboxEntity.<OutboxEntity>find("effectKey = ?1 and sender = ?2", key, wallet.value())
                .firstResultOptional().map(this::entry)
                .orElseThrow(() -> DomainException.notFound("There is no act " + key + " of your wallet")));
    }

    private WalletAddress ownManagedWallet(WalletAddress caller, Optional<String> from) {
        if (from.isPresent() && !WalletAddress.of(from.get()).equals(caller)) {
            throw DomainException.forbidden("The platform signs only for your own managed wallet: you are " + caller.value()
                    + ", not " + WalletAddress.of(from.get()).value());
        }
        if (!managed.isManaged(caller)) {
            throw DomainException.forbidden("Your account is a wallet account: send transactions from your own wallet. The platform"
                    + " signs only for the managed wallets of passkey accounts");
        }
        return caller;
    }

    /** The act a call is, after the custody rules on whom it approves and where it sends assets. */
    private Act checked(WalletAddress wallet, Callable function, String data) {
        List<String> parameters = function.parameters();
        if (function.act() == Act.APPROVE) {
            String spender = addressAt(data, 0);
            if (SPENDERS.stream().noneMatch(c -> spender.equalsIgnoreCase(contracts.addresses().get(c)))) {
                throw DomainException.forbidden("A managed wallet approves only the marketplace's own contracts (SlotMarket, CreditsBurner),"
                        + " not " + spender);
            }
        }
        if (function.act() == Act.CLAIM && !addressAt(data, 1).equals(wallet.value())) {
            throw DomainException.forbidden("A managed wallet claims only its own rewards, not those of " + addressAt(data, 1));
        }
        if (function.act() != Act.TRANSFER) {
            return function.act();
        }
        int toIndex = parameters.get(0).endsWith(" from") ? 1 : 0;
        if (toIndex == 1 && !addressAt(data, 0).equals(wallet.value())) {
            throw DomainException.forbidden("The platform signs only for your own managed wallet: this transfer is from "
                    + addressAt(data, 0) + ", which is not yours");
        }
        WalletAddress to = WalletAddress.of(addressAt(data, toIndex));
        if (managed.isManaged(to)) {
            return Act.TRANSFER; // it stays in the platform's custody, with another passkey account
        }
        if (managed.linkedWallet(wallet).filter(linked -> linked.wallet().equals(to)).isEmpty()) {
            throw DomainException.forbidden("A managed wallet sends assets only to another passkey account of this marketplace or to"
                    + " its own linked wallet, not to " + to.value());
        }
        linkedWalletReadyFor(wallet);
        return Act.WITHDRAWAL;
    }

    /** The linked wallet of {@code wallet}'s account, once withdrawals to it may start. */
    private WalletAddress linkedWalletReadyFor(WalletAddress wallet) {
        ManagedWallets.LinkedWallet linked = managed.linkedWallet(wallet).orElseThrow(() -> DomainException.conflict(
                "Link a wallet first (PUT /api/me/linked-wallet): withdrawals go only to your linked wallet"));
        Instant from = linked.linkedAt().plus(managed.limits().withdrawalDelay());
        if (clock.instant().isBefore(from)) {
            throw DomainException.conflict("The wallet " + linked.wallet().value() + " was linked at " + linked.linkedAt()
                    + "; withdrawals to it start at " + from.truncatedTo(ChronoUnit.SECONDS) + " (bc.custody.withdrawal-delay)");
        }
        return linked.wallet();
    }

    /** One wallet's acts are counted and written one request at a time, on every replica. */
    private void lockActsOf(WalletAddress wallet) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, "chain-wallet-acts:" + wallet.value())
                .getSingleResult();
    }

    private void withinLimits(WalletAddress wallet, int withdrawals) {
        ManagedWallets.Limits limits = managed.limits();
        Instant now = clock.instant();
        long lastHour = ((Number) em.createNativeQuery("select count(*) from chain_outbox where sender = ?1 and created_at > ?2")
                .setParameter(1, wallet.value()).setParameter(2, now.minus(Duration.ofHours(1))).getSingleResult()).longValue();
        if (withdrawals == 0 && lastHour >= limits.actsPerHour()) {
            throw new DomainException(DomainException.Kind.TOO_MANY, "The platform signed " + lastHour + " acts for this wallet in the"
                    + " last hour, its limit (bc.custody.acts-per-hour); ask again later");
        }
        if (withdrawals > 0) {
            long lastDay = ((Number) em.createNativeQuery(
                            "select count(*) from chain_outbox where sender = ?1 and act = 'WITHDRAWAL' and created_at > ?2")
                    .setParameter(1, wallet.value()).setParameter(2, now.minus(Duration.ofDays(1))).getSingleResult()).longValue();
            if (lastDay + withdrawals > limits.withdrawalsPerDay()) {
                throw new DomainException(DomainException.Kind.TOO_MANY, "This would withdraw " + withdrawals + " assets after " + lastDay
                        + " in the last 24 hours; the limit is " + limits.withdrawalsPerDay() + " (bc.custody.withdrawals-per-day)");
            }
        }
    }

    private void simulate(WalletAddress wallet, ContractName contract, String data, Callable function) {
        EthCall answer = ethCall(wallet, contract, data);
        if (answer.isReverted()) {
            throw DomainException.conflict("The contract refuses " + function.signature().replaceAll(" [a-zA-Z]+", "")
                    + " from your wallet: " + reason(answer));
        }
    }

    private EthCall ethCall(WalletAddress wallet, ContractName contract, String data) {
        try {
            EthCall answer = client.web3j().ethCall(Transaction.createEthCallTransaction(wallet.value(), contracts.address(contract), data),
                    DefaultBlockParameterName.LATEST).send();
            if (answer.hasError() && !answer.isReverted() && !String.valueOf(answer.getError().getMessage()).toLowerCase(Locale.ROOT).contains("revert")) {
                throw new IOException(answer.getError().getMessage());
            }
            return answer;
        } catch (IOException e) {
            throw new DomainException(DomainException.Kind.CONFLICT, "The chain does not answer (" + e.getMessage() + "); ask again in a moment");
        }
    }

    private static String reason(EthCall answer) {
        String reason = answer.getRevertReason() != null ? answer.getRevertReason()
                : answer.hasError() ? answer.getError().getMessage() : "no reason given";
        return reason.length() > 300 ? reason.substring(0, 300) : reason;
    }

    private Entry insert(WalletAddress wallet, Act act, String description, ChainEffect.WalletCall call) {
        String key = "wallet-" + wallet.value() + "-" + UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        chain.insert(key, call, now, wallet.value(), act.name(), description.length() > 300 ? description.substring(0, 300) : description);
        return new Entry(key, act, description, call.contract(), EffectStatus.Status.PENDING, null, null, null, now, null, null);
    }

    private Entry entry(OutboxEntity row) {
        return new Entry(row.effectKey, Act.valueOf(row.act), row.description, row.contract, row.status, row.txHash, row.blockNumber,
                row.lastError, row.createdAt, row.confirmedAt, row.txHash == null ? null : chain.explorerTxUrl(row.txHash).orElse(null));
    }

    /** "splitAt(tokenId 17, at 1764849600) on TimeSlotNFT": the call with its static arguments. */
    static String describe(Callable function, String data) {
        List<String> parameters = function.parameters();
        String name = function.signature().substring(0, function.signature().indexOf('('));
        String arguments = Stream.iterate(0, i -> i + 1).limit(parameters.size())
                .filter(i -> !parameters.get(i).contains("[]"))
                .map(i -> {
                    String[] typeAndName = parameters.get(i).split(" ");
                    String value = typeAndName[0].equals("address") ? addressAt(data, i)
                            : typeAndName[0].equals("bool") ? String.valueOf(wordAt(data, i).signum() != 0)
                            : typeAndName[0].equals("bytes32") ? "0x" + data.substring(10 + 64 * i, 10 + 64 * (i + 1))
                            : wordAt(data, i).toString();
                    return typeAndName[1] + " " + value;
                })
                .collect(Collectors.joining(", "));
        return name + "(" + arguments + ") on " + function.contract();
    }

    private static BigInteger wordAt(String data, int index) {
        int start = 10 + 64 * index;
        if (data.length() < start + 64) {
            throw DomainException.invalid("data: the call has fewer arguments than " + (index + 1));
        }
        return new BigInteger(data.substring(start, start + 64), 16);
    }

    private static String addressAt(String data, int index) {
        BigInteger word = wordAt(data, index);
        if (word.bitLength() > 160) {
            throw DomainException.invalid("data: argument " + (index + 1) + " is not an address");
        }
        return "0x" + String.format("%040x", word);
    }
}
