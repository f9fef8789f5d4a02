package platform;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The product's defaults where the test configuration departs from them: no Stripe stand-in (card
 * payments off) and proof of GPU required. Over the tests' embedded PostgreSQL alone. One profile for
 * every test of the defaults, so that the application starts once for all of them.
 */
public class ProductDefaultsProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("bc.gpu.proof.required", "true");
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedPostgresResource.class));
    }
}
