package accounts;

import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheResult;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import platform.DomainException;

/**
 * The accounts module's facade: wallets sign in with EIP-4361 messages, hold sessions and API keys,
 * and carry roles. Every signed-in wallet is a customer; wallets in {@code bc.admin.wallets} are admins.
 */
@ApplicationScoped
public class Accounts {

    static final String STATEMENT = "Sign in to Berkeley Compute.";
    static final String CALLER_CACHE = "bc-callers";
    /** The longest name an API key may have. */
    public static final int API_KEY_NAME_LENGTH = 100;
    private static final Duration API_KEY_TOUCH_INTERVAL = Duration.ofMinutes(5);

    private final Clock clock;
    private final AccountsConfig config;
    private final SecurityIdentity identity;
    private final Set<WalletAddress> admins;
    private final SignInOrigin origin;
    private final RecoveryCodes recoveryCodes;

    Accounts(Clock clock, AccountsConfig config, SecurityIdentity identity, SignInOrigin origin, RecoveryCodes recoveryCodes) {
        this.clock = clock;
        this.config = config;
        this.identity = identity;
        this.origin = origin;
        this.recoveryCodes = recoveryCodes;
        this.admins = config.admin().wallets().orElse(List.of()).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).map(WalletAddress::of).collect(Collectors.toUnmodifiableSet());
    }

    /** A fresh single-use nonce for a sign-in message. */
    @Transactional
    public String issueNonce() {
        Instant now = clock.instant();
        NonceEntity nonce = new NonceEntity();
        nonce.nonce = Secrets.newNonce();
        nonce.issuedAt = now;
        nonce.expiresAt = now.plus(config.siwe().nonceTtl());
        nonce.persist();
        return nonce.nonce;
    }

    /** A complete message for {@code address} to sign in here, with a fresh nonce. */
    @Transactional
    public SignInChallenge challenge(WalletAddress address) {
        String nonce = issueNonce();
        Instant now = clock.instant();
        SiweMessage message = SiweMessage.forOrigin(origin.scheme(), origin.domain(), origin.uri(), address, STATEMENT,
                config.siwe().chainId(), nonce, now, now.plus(config.siwe().nonceTtl()));
        return new SignInChallenge(message.text(), nonce);
    }

    /** What a sign-in message made elsewhere (a CLI, a script) must name: this server's domain, URI and chain. */
    public SignInTerms signInTerms() {
        return new SignInTerms(origin.domain(), origin.uri(), config.siwe().chainId());
    }

    /**
     * Checks an EIP-4361 message and its signature and opens a session. The message's domain must
     * be this server's, from configuration ({@link SignInOrigin}), never the request's Host header.
     * Any failed check is a 401 that says which one. A wallet a passkey account linked signs in to
     * that account.
     */
    @Transactional
    public SignedIn signIn(String messageText, String signature) {
        Instant now = clock.instant();
        SiweMessage message = SiweMessage.parse(messageText);
        new SignInVerifier(config.siwe(), origin).verify(message, messageText, signature, now);
        if (!NonceEntity.consume(message.nonce(), now)) {
            throw SignInVerifier.refused("the nonce " + message.nonce()
                    + " was not issued here, was already used, or has expired; ask GET /api/auth/nonce for a new one");
        }
        Optional<WalletAddress> linkedTo = WalletLinks.accountOf(message.address());
        if (linkedTo.isPresent()) { // a passkey account's linked wallet signs in to that account
            UserEntity.<UserEntity>findById(linkedTo.get().value()).lastSignInAt = now;
            return openSession(linkedTo.get(), now);
        }
        UserEntity user = UserEntity.findById(message.address().value());
        if (user == null) {
            user = new UserEntity();
            user.address = message.address().value();
            user.createdAt = now;
        }
        user.lastSignInAt = now;
        user.persist();
        return openSession(message.address(), now);
    }

    /**
     * Opens a session for a passkey account whose passkey the WebAuthn ceremony just verified
     * ({@link PasskeyResource}); the same session as after a wallet's sign-in.
     */
    @Transactional
    SignedIn signInWithPasskey(WalletAddress address) {
        Instant now = clock.instant();
        UserEntity user = UserEntity.findById(address.value());
        if (user == null || user.kind != UserEntity.Kind.PASSKEY) {
            throw SignInVerifier.refused("this passkey belongs to no passkey account here");
        }
        user.lastSignInAt = now;
        return openSession(address, now);
    }

    /**
     * Opens a session for a passkey account with its recovery code, which is used up by it: the
     * account's owner lost their passkeys and must add a new one (and make a new code). A wrong or
     * used code, or an address that is no passkey account, is a 401 that changes nothing.
     */
    @Transactional
    SignedIn signInWithRecoveryCode(WalletAddress address, RecoveryCode code) {
        Instant now = clock.instant();
        UserEntity user = UserEntity.findById(address.value());
        if (user == null || user.kind != UserEntity.Kind.PASSKEY || !recoveryCodes.consume(address, code)) {
            throw SignInVerifier.refused("this recovery code does not open that account: it is not the account's code, or it "
                    + "was used already (a code opens its account once); nothing changed");
        }
        user.lastSignInAt = now;
        return openSession(address, now);
    }

    /**
     * A new recovery code for the caller's passkey account, replacing the one it had; its text is
     * shown this once. A wallet account has none (403).
     */
    @Transactional
    String newRecoveryCode(Caller caller) {
        UserEntity user = UserEntity.findById(caller.address().value());
        if (user == null || user.kind != UserEntity.Kind.PASSKEY) {
            throw DomainException.forbidden("Recovery codes belong to passkey accounts; a wallet account signs in with its wallet");
        }
        return recoveryCodes.renew(caller.address(), clock.instant());
    }

    /** The caller's account as GET /api/me and the account page show it. */
    @Transactional
    public Profile profile(Caller caller) {
        UserEntity user = UserEntity.findById(caller.address().value());
        boolean passkey = user != null && user.kind == UserEntity.Kind.PASSKEY;
        return new Profile(caller.address(), caller.roles(), passkey, user == null ? null : user.email,
                passkey ? recoveryCodes.madeAt(caller.address()).orElse(null) : null);
    }

    /**
     * Sets (or, with null or blank, removes) the address the caller's receipts would go to. Optional
     * for every account; nothing is mailed yet.
     */
    @Transactional
    public Profile setEmail(Caller caller, String email) {
        EmailAddress address = EmailAddress.orNone(email);
        UserEntity user = UserEntity.findById(caller.address().value());
        if (user == null) {
            throw DomainException.notFound("This account is not known here; sign in again");
        }
        user.email = address == null ? null : address.value();
        return profile(caller);
    }

    private SignedIn openSession(WalletAddress address, Instant now) {
        String token = Secrets.newToken(Secrets.SESSION_PREFIX);
        SessionEntity session = new SessionEntity();
        session.tokenHash = Secrets.sha256(token);
        session.address = address.value();
        session.createdAt = now;
        session.expiresAt = now.plus(config.session().ttl());
        session.persist();
        return new SignedIn(token, address, session.expiresAt);
    }

    /**
     * The caller a session token or API key belongs to, if it is valid now. Answers are cached for
     * a few seconds ({@code bc-callers}), so a node agent's heartbeats cost no database lookup; this
     * instance forgets them at once on a revocation or sign-out, others within the cache's expiry.
     */
    @CacheResult(cacheName = CALLER_CACHE)
    public Optional<Caller> authenticate(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = Secrets.sha256(token);
        if (token.startsWith(Secrets.SESSION_PREFIX)) {
            return QuarkusTransaction.requiringNew().call(() -> SessionEntity.<SessionEntity>findByIdOptional(hash)
                    .filter(s -> s.revokedAt == null && s.expiresAt.isAfter(now))
                    .map(s -> callerOf(WalletAddress.of(s.address))));
        }
        if (token.startsWith(Secrets.API_KEY_PREFIX)) {
            return QuarkusTransaction.requiringNew().call(() -> ApiKeyEntity.<ApiKeyEntity>find("keyHash", hash)
                    .firstResultOptional()
                    .filter(k -> k.revokedAt == null)
                    .map(k -> {
                        if (k.lastUsedAt == null || k.lastUsedAt.plus(API_KEY_TOUCH_INTERVAL).isBefore(now)) {
                            k.lastUsedAt = now;
                        }
                        return callerOf(WalletAddress.of(k.address));
                    }));
        }
        return Optional.empty();
    }

    /** Ends the session that {@code token} opened; API keys are revoked with {@link #revokeApiKey}. */
    @Transactional
    @CacheInvalidateAll(cacheName = CALLER_CACHE)
    public void signOut(String token) {
        if (token != null && token.startsWith(Secrets.SESSION_PREFIX)) {
            SessionEntity.<SessionEntity>findByIdOptional(Secrets.sha256(token))
                    .filter(s -> s.revokedAt == null)
                    .ifPresent(s -> s.revokedAt = clock.instant());
        }
    }

    /** Who is asking in the current request; a 401 for an anonymous visitor. */
    public Caller currentCaller() {
        return currentCallerIfSignedIn().orElseThrow(() -> new DomainException(DomainException.Kind.UNAUTHENTICATED,
                "Sign in first: send Authorization: Bearer <token or API key>"));
    }

    /** Who is asking in the current request, if anyone signed in. */
    public Optional<Caller> currentCallerIfSignedIn() {
        if (identity.isAnonymous()) {
            return Optional.empty();
        }
        return Optional.of(new Caller(WalletAddress.of(identity.getPrincipal().getName()), identity.getRoles()));
    }

    /** The caller {@code address} is, with its roles; in a transaction. */
    Caller callerOf(WalletAddress address) {
        UserEntity user = UserEntity.findById(address.value());
        return callerOf(address, user == null ? UserEntity.Kind.WALLET : user.kind);
    }

    private Caller callerOf(WalletAddress address, UserEntity.Kind kind) {
        Set<String> roles = new LinkedHashSet<>();
        roles.add(Caller.CUSTOMER);
        if (kind == UserEntity.Kind.PASSKEY) {
            roles.add(Caller.PASSKEY);
        }
        if (admins.contains(address)) {
            roles.add(Caller.ADMIN);
        }
        return new Caller(address, roles);
    }

    @Transactional
    public NewApiKey createApiKey(Caller caller, String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty() || trimmed.length() > API_KEY_NAME_LENGTH) {
            throw DomainException.invalid("name: give the key a name of 1 to " + API_KEY_NAME_LENGTH
                    + " characters, e.g. the host or script that will use it");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw DomainException.invalid("name: a key's name may not contain control characters (tabs, line breaks, NUL)");
        }
        String key = Secrets.newToken(Secrets.API_KEY_PREFIX);
        ApiKeyEntity entity = new ApiKeyEntity();
        entity.id = UUID.randomUUID();
        entity.address = caller.address().value();
        entity.name = trimmed;
        entity.keyHash = Secrets.sha256(key);
        entity.keyPrefix = key.substring(0, Secrets.API_KEY_PREFIX.length() + 6);
        entity.createdAt = clock.instant();
        entity.persist();
        return new NewApiKey(entity.id, entity.name, key);
    }

    /** An API key's id as a client sends it; a 400 naming the field when it is not one. */
    public static UUID apiKeyId(String id) {
        if (id != null && id.length() == 36) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                // refused below
            }
        }
        String shown = id == null ? "" : id.length() > 40 ? id.substring(0, 40) + "…" : id;
        throw DomainException.notFound("id: '" + shown + "' is not an API key id; ids are UUIDs such as "
                + "0b6f3c1e-8f0d-4d57-9c39-2f1f5d3a7c11, listed by GET /api/me/api-keys");
    }

    /** The caller's keys, newest first, revoked ones included so the history stays visible. */
    @Transactional
    public List<ApiKey> apiKeys(Caller caller) {
        return ApiKeyEntity.<ApiKeyEntity>list("address", caller.address().value()).stream()
                .map(ApiKeyEntity::view)
                .sorted(Comparator.comparing(ApiKey::createdAt).reversed())
                .toList();
    }

    @Transactional
    @CacheInvalidateAll(cacheName = CALLER_CACHE)
    public void revokeApiKey(Caller caller, UUID id) {
        ApiKeyEntity key = ApiKeyEntity.<ApiKeyEntity>findByIdOptional(id)
                .filter(k -> k.address.equals(caller.address().value()))
                .orElseThrow(() -> DomainException.notFound("You have no API key with id " + id));
        if (key.revokedAt == null) {
            key.revokedAt = clock.instant();
        }
    }

    /** Every wallet that has signed in, for admins. */
    @Transactional
    public List<Account> accounts() {
        List<Object[]> rows = UserEntity.getEntityManager().createQuery(
                "select u.address, u.createdAt, u.lastSignInAt, "
                        + "(select count(k) from ApiKeyEntity k where k.address = u.address and k.revokedAt is null), u.kind "
                        + "from UserEntity u order by u.createdAt", Object[].class).getResultList();
        return rows.stream().map(r -> {
            WalletAddress address = WalletAddress.of((String) r[0]);
            return new Account(address, callerOf(address, (UserEntity.Kind) r[4]).roles(), (Instant) r[1], (Instant) r[2], (Long) r[3]);
        }).toList();
    }

    /** Deletes nonces and sessions that can no longer be used. */
    @Transactional
    void purgeExpired() {
        Instant now = clock.instant();
        NonceEntity.delete("expiresAt < ?1", now);
        SessionEntity.delete("expiresAt < ?1", now);
    }
}
