package accounts;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import platform.DomainException;

/**
 * An EIP-4361 (Sign-In with Ethereum) message, parsed from the exact text the wallet signed.
 *
 * <pre>
 * ${scheme}://${domain} wants you to sign in with your Ethereum account:
 * ${address}
 *
 * ${statement}
 *
 * URI: ${uri}
 * Version: 1
 * Chain ID: ${chain-id}
 * Nonce: ${nonce}
 * Issued At: ${issued-at}
 * Expiration Time: ${expiration-time}   (optional)
 * Not Before: ${not-before}             (optional)
 * Request ID: ${request-id}             (optional)
 * Resources:                            (optional)
 * - ${resource}
 * </pre>
 *
 * The scheme and the statement are optional. Parsing checks the syntax only; whether the message
 * is acceptable here (domain, chain, time, nonce, signature) is {@link SignInVerifier}'s job.
 */
record SiweMessage(
        Optional<String> scheme,
        String domain,
        WalletAddress address,
        Optional<String> statement,
        URI uri,
        long chainId,
        String nonce,
        Instant issuedAt,
        Optional<Instant> expirationTime,
        Optional<Instant> notBefore,
        Optional<String> requestId,
        List<String> resources) {

    private static final Pattern HEADER = Pattern.compile(
            "^(?:([a-zA-Z][a-zA-Z0-9+\\-.]*)://)?(\\S+) wants you to sign in with your Ethereum account:$");
    private static final Pattern NONCE = Pattern.compile("[a-zA-Z0-9]{8,}");
    private static final Pattern CHAIN_ID = Pattern.compile("[0-9]{1,18}");
    /** RFC 3339 {@code date-time}, with at most nanoseconds. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})");
    /** The longest message accepted; ours are about 400 characters. */
    static final int MAX_LENGTH = 4096;
    private static final List<String> FIELDS = List.of(
            "URI", "Version", "Chain ID", "Nonce", "Issued At", "Expiration Time", "Not Before", "Request ID");

    static SiweMessage parse(String text) {
        if (text == null || text.isBlank()) {
            throw malformed("the message is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw malformed("the message is " + text.length() + " characters long; at most " + MAX_LENGTH + " are accepted");
        }
        List<String> lines = List.of(text.replace("\r\n", "\n").split("\n", -1));
        Matcher header = HEADER.matcher(lines.get(0));
        if (!header.matches()) {
            throw malformed("the first line must be '<domain> wants you to sign in with your Ethereum account:'");
        }
        if (!Rfc3986.isAuthority(header.group(2))) {
            throw malformed("the domain '" + header.group(2) + "' is not an RFC 3986 authority (host, or host:port)");
        }
        if (lines.size() < 3) {
            throw malformed("the second line must be the account address");
        }
        WalletAddress address = eip55Address(lines.get(1));
        if (!lines.get(2).isEmpty()) {
            throw malformed("the address must be followed by an empty line");
        }

        // EIP-4361: address LF LF [ statement LF ] LF "URI: "; without a statement the second empty
        // line may also be left out, as earlier drafts of the standard had it.
        int i = 3;
        Optional<String> statement = Optional.empty();
        if (i < lines.size() && !lines.get(i).isEmpty() && !lines.get(i).startsWith("URI: ")) {
            statement = Optional.of(lines.get(i));
            i++;
            if (i >= lines.size() || !lines.get(i).isEmpty()) {
                throw malformed("the statement must be one line, followed by an empty line");
            }
            i++;
        } else if (i < lines.size() && lines.get(i).isEmpty()) {
            i++;
        }

        Map<String, String> fields = new LinkedHashMap<>();
        List<String> resources = new ArrayList<>();
        int fieldIndex = 0;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty() && i == lines.size() - 1) {
                break; // a trailing newline
            }
            if (line.equals("Resources:")) {
                for (i++; i < lines.size() && lines.get(i).startsWith("- "); i++) {
                    String resource = lines.get(i).substring(2);
                    if (!Rfc3986.isUri(resource)) {
                        throw malformed("the resource '" + resource + "' is not an RFC 3986 URI (one resource per line)");
                    }
                    resources.add(resource);
                }
                if (i < lines.size() && !(lines.get(i).isEmpty() && i == lines.size() - 1)) {
                    throw malformed("nothing may follow the list of resources");
                }
                break;
            }
            int colon = line.indexOf(": ");
            String name = colon < 0 ? line : line.substring(0, colon);
            int expectedAt = FIELDS.indexOf(name);
            if (colon < 0 || expectedAt < 0) {
                throw malformed("unexpected line '" + line + "'");
            }
            if (expectedAt < fieldIndex) {
                throw malformed("the field '" + name + "' is out of order or repeated");
            }
            fieldIndex = expectedAt + 1;
            fields.put(name, line.substring(colon + 2));
        }

        for (String required : List.of("URI", "Version", "Chain ID", "Nonce", "Issued At")) {
            if (!fields.containsKey(required)) {
                throw malformed("the field '" + required + "' is missing");
            }
        }
        if (!fields.get("Version").equals("1")) {
            throw malformed("only Version 1 is defined");
        }
        String nonce = fields.get("Nonce");
        if (!NONCE.matcher(nonce).matches()) {
            throw malformed("the nonce must be at least 8 letters or digits");
        }
        String requestId = fields.get("Request ID");
        if (requestId != null && !Rfc3986.isPchars(requestId)) {
            throw malformed("the request id '" + requestId + "' may contain only RFC 3986 path characters");
        }
        return new SiweMessage(
                Optional.ofNullable(header.group(1)),
                header.group(2),
                address,
                statement,
                uri(fields.get("URI")),
                chainId(fields.get("Chain ID")),
                nonce,
                instant("Issued At", fields.get("Issued At")),
                Optional.ofNullable(fields.get("Expiration Time")).map(v -> instant("Expiration Time", v)),
                Optional.ofNullable(fields.get("Not Before")).map(v -> instant("Not Before", v)),
                Optional.ofNullable(requestId),
                List.copyOf(resources));
    }

    /** The message for a sign-in at {@code scheme://domain}, with {@code uri} on that domain, as a wallet shows it. */
    static SiweMessage forOrigin(String scheme, String domain, URI uri, WalletAddress address, String statement,
                                 long chainId, String nonce, Instant issuedAt, Instant expirationTime) {
        return new SiweMessage(Optional.of(scheme), domain, address, Optional.of(statement), uri, chainId, nonce,
                issuedAt, Optional.of(expirationTime), Optional.empty(), Optional.empty(), List.of());
    }

    /** The canonical text of this message, the exact bytes a wallet signs. */
    String text() {
        StringBuilder text = new StringBuilder();
        scheme.ifPresent(s -> text.append(s).append("://"));
        text.append(domain).append(" wants you to sign in with your Ethereum account:\n")
                .append(address.checksummed()).append("\n\n");
        statement.ifPresent(s -> text.append(s).append("\n\n"));
        text.append("URI: ").append(uri).append('\n')
                .append("Version: 1\n")
                .append("Chain ID: ").append(chainId).append('\n')
                .append("Nonce: ").append(nonce).append('\n')
                .append("Issued At: ").append(issuedAt);
        expirationTime.ifPresent(t -> text.append("\nExpiration Time: ").append(t));
        notBefore.ifPresent(t -> text.append("\nNot Before: ").append(t));
        requestId.ifPresent(r -> text.append("\nRequest ID: ").append(r));
        if (!resources.isEmpty()) {
            text.append("\nResources:");
            resources.forEach(r -> text.append("\n- ").append(r));
        }
        return text.toString();
    }

    /** The host[:port] that the URI points at, to compare with the domain. */
    String uriAuthority() {
        return uri.getRawAuthority();
    }

    /** EIP-4361: "address = the EIP-55 mixed-case checksum-encoded address"; all-lowercase is not that. */
    private static WalletAddress eip55Address(String value) {
        WalletAddress address;
        try {
            address = WalletAddress.of(value);
        } catch (DomainException e) {
            throw malformed(e.getMessage());
        }
        if (!address.checksummed().equals(value)) {
            throw malformed("the address must be written in its EIP-55 checksummed form " + address.checksummed()
                    + ", not " + value);
        }
        return address;
    }

    private static URI uri(String value) {
        if (!Rfc3986.isUri(value)) {
            throw malformed("the URI '" + value + "' is not an absolute RFC 3986 URI");
        }
        return URI.create(value);
    }

    private static long chainId(String value) {
        if (!CHAIN_ID.matcher(value).matches()) {
            throw malformed("the chain id '" + value + "' is not a number of at most 18 digits");
        }
        long id = Long.parseLong(value);
        if (id <= 0) {
            throw malformed("the chain id must be positive");
        }
        return id;
    }

    private static Instant instant(String field, String value) {
        if (!DATE_TIME.matcher(value).matches()) {
            throw malformed("'" + field + "' must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z, not '" + value + "'");
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw malformed("'" + field + "' must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z, not '" + value + "'");
        }
    }

    private static DomainException malformed(String why) {
        return DomainException.invalid("The message is not a valid Sign-In with Ethereum (EIP-4361) message: " + why);
    }
}
