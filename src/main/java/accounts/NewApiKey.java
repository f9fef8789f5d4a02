package accounts;

import java.util.UUID;

/** A freshly created API key: the only time its secret is shown. */
public record NewApiKey(UUID id, String name, String key) {
}
